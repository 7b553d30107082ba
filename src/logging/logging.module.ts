import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { JobLogContext } from './job-log-context';
import { logOptions } from './log-options';

/** Structured logs (nestjs-pino) for the HTTP requests and, through JobLogContext, for the jobs they start. */
@Global()
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: (config: AppConfig) => ({ pinoHttp: logOptions(config) }) })],
  providers: [JobLogContext],
  exports: [JobLogContext],
})
export class LoggingModule {}
