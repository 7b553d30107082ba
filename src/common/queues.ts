import { getQueueToken } from '@nestjs/bull';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bull';
import { QueueName } from './enums';

/** Every queue of the app by name, from wherever its module registered it. */
export function queueByName(moduleRef: ModuleRef, name: QueueName | string): Queue {
  return moduleRef.get<Queue>(getQueueToken(name), { strict: false });
}
