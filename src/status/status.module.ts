import { Global, Module } from '@nestjs/common';
import { StatusService } from './status.service';

@Global()
@Module({ providers: [StatusService], exports: [StatusService] })
export class StatusModule {}
