import { Module } from '@nestjs/common';
import { StatusService } from './status.service';

/** The status records in Redis: what every kind of job reports to and the API reads. */
@Module({ providers: [StatusService], exports: [StatusService] })
export class StatusModule {}
