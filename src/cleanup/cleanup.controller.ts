import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { CleanupService } from './cleanup.service';
import { CleanupReport } from './cleanup.types';

export class RunCleanupDto {
  @ApiPropertyOptional({ default: false, description: 'Report what would go, delete nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun: boolean = false;

  @ApiPropertyOptional({ example: 48, description: 'Take files older than this many hours, instead of the configured ages' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(24 * 365 * 10)
  olderThanHours?: number;
}

@ApiTags('cleanup')
@Controller('cleanup')
export class CleanupController {
  constructor(private readonly cleanup: CleanupService) {}

  @Post('run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sweep now',
    description: 'Removes old temp folders and outputs of finished jobs, never files of a running job. Returns the report.',
  })
  @ApiOkResponse({ description: 'The report: files and bytes removed per kind, what was kept and why, errors, duration' })
  @ApiConflictResponse({ description: 'Another sweep is running' })
  async run(@Body() dto: RunCleanupDto): Promise<CleanupReport> {
    const report = await this.cleanup.run({ dryRun: dto.dryRun, olderThanMs: dto.olderThanHours === undefined ? undefined : dto.olderThanHours * 3_600_000 });
    if (!report) throw new ConflictException('another sweep is running; try again when it is done');
    return report;
  }

  @Get('last')
  @ApiOperation({ summary: 'The report of the last sweep' })
  @ApiNotFoundResponse({ description: 'No sweep has run yet' })
  async last(): Promise<CleanupReport> {
    const report = await this.cleanup.last();
    if (!report) throw new NotFoundException('no sweep has run yet');
    return report;
  }
}
