import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { AppConfig } from './config/app-config';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromProcessEnv();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const app = await createApp(config);
  // Shutdown hooks drain the workers; if something still hangs after the grace period, leave anyway.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Bootstrap').warn('shutdown took too long; exiting');
        process.exit(1);
      }, config.env.SHUTDOWN_GRACE_MS + 5000).unref();
    });
  }
  void app;
}

void main();
