// asphalt-ts/queue: a BullMQ task queue (YAML `type: queue` for producers, `type: queue-worker` for workers).
export { defineJob } from './job-definition';
export type { JobDefinition, PayloadOf, ResultOf } from './job-definition';
export { CurrentJob, jobProcessor, workerPoolJob } from './job-processor';
export type { JobProcessor, JobRun } from './job-processor';
export { Queue } from './queue';
export type { AddJobOptions, QueueAddEvent } from './queue';
export { QueueComponent } from './queue-component';
export { QueueWorker } from './queue-worker';
export type { JobEvent, WorkerErrorEvent } from './queue-worker';
export { QueueWorkerComponent } from './queue-worker-component';
export { BackoffConfig, JobOptionsConfig, LimiterConfig, QueueConfig, QueueConnectionSettings, QueueWorkerConfig } from './queue-config';
export { UsesQueueComponent, UsesQueueConfig } from './uses-queue';
export { JobProcessorError, QueueConnectionError, QueueUnavailableError } from './queue-errors';
