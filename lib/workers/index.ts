// asphalt-ts/workers: worker-thread offload and the blocked-loop detector.
export { WorkerPool } from './worker-pool';
export type { WorkerPoolOptions, RunTaskOptions, TaskArgs } from './worker-pool';
export { WorkerPoolComponent, WorkerPoolConfig } from './worker-pool-component';
export { defineTask } from './task';
export type { Task, TaskFunction } from './task';
export { resource } from './worker-resource';
export type { Remote } from './worker-resource';
export { exposeToWorkers } from './expose-to-workers';
export type { ExposeOptions } from './expose-to-workers';
export { LoopMonitor } from './loop-monitor';
export type { LoopMonitorOptions } from './loop-monitor';
export type { LoopBlockedEvent, StackFrame } from './loop-blocked-event';
export { startLoopMonitor } from './start-loop-monitor';
export {
  WorkerCallError,
  WorkerPoolClosedError,
  WorkerQueueFullError,
  WorkerTaskAbortedError,
  WorkerTaskNotFoundError,
} from './worker-errors';
