import { ApiProperty } from '@nestjs/swagger';

/** The one shape of every error this API answers, whatever raised it. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 400, description: 'The HTTP status, repeated' })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request', description: "The status's reason phrase" })
  error: string;

  @ApiProperty({ example: 'maxExpressions must be a whole number from 1 to 200', description: 'What went wrong and what to change, in plain words' })
  message: string;
}
