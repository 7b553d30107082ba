import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsNumber, Max, Min } from 'class-validator';
import { ApiErrors } from '../common/http/api-errors';
import { AdminOnly } from '../security/api-key.guard';
import { Optional } from '../common/http/validation';
import { CleanupReportView } from './dto/cleanup-report.dto';
import { CleanupService } from './cleanup.service';
import { CleanupReport } from './cleanup.types';

const OLDER_THAN = 'olderThanHours must be a number of hours from 0 to 87600';

export class RunCleanupDto {
  @ApiPropertyOptional({ default: false, description: 'Report what would go, delete nothing' })
  @Optional()
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun: boolean = false;

  @ApiPropertyOptional({ example: 48, description: 'Take files older than this many hours, instead of the configured ages' })
  @Optional()
  @IsNumber({}, { message: OLDER_THAN })
  @Min(0, { message: OLDER_THAN })
  @Max(24 * 365 * 10, { message: OLDER_THAN })
  olderThanHours?: number;
}

@ApiTags('cleanup')
@ApiErrors(503)
@Controller('cleanup')
export class CleanupController {
  constructor(private readonly cleanup: CleanupService) {}

  @Post('run')
  @AdminOnly()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sweep now',
    description: 'Removes old temp folders and outputs of finished jobs, never files of a running job. Returns the report.',
  })
  @ApiOkResponse({ type: CleanupReportView, description: 'The report: files and bytes removed per kind, what was kept and why, errors, duration' })
  @ApiErrors(400, [403, 'Not an admin key (ADMIN_API_KEYS)'], [409, 'Another sweep is running'], 415)
  async runCleanup(@Body() dto: RunCleanupDto): Promise<CleanupReport> {
    const report = await this.cleanup.run({ dryRun: dto.dryRun, olderThanMs: dto.olderThanHours === undefined ? undefined : dto.olderThanHours * 3_600_000 });
    if (!report) throw new ConflictException('another sweep is running; try again when it is done');
    return report;
  }

  @Get('last')
  @ApiOperation({ summary: 'The report of the last sweep' })
  @ApiOkResponse({ type: CleanupReportView })
  @ApiErrors([404, 'No sweep has run yet'])
  async getLastCleanup(): Promise<CleanupReport> {
    const report = await this.cleanup.last();
    if (!report) throw new NotFoundException('no sweep has run yet');
    return report;
  }
}
