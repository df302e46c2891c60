import 'reflect-metadata';

// Errors
export {
  AsphaltError,
  AsyncResourceError,
  ContextStateError,
  InvalidResourceError,
  NoCurrentContextError,
  ResourceConflictError,
  ResourceNotFoundError,
  ResourceUnavailableError,
  ServiceTaskError,
  SignalQueueFullError,
  TeardownError,
  WaitTimeoutError,
} from './errors';

// Resources
export { Token, token } from './resources/token';
export { describeKey, isResourceKey } from './resources/resource-key';
export type { AbstractClass, KeyType, ResourceKey } from './resources/resource-key';
export { DEFAULT_NAME } from './resources/resource-name';
export type { ResourceEvent } from './resources/resource-event';

// Context
export { Context } from './context/context';
export type {
  AddResourceFactoryOptions,
  AddResourceOptions,
  ContextState,
  LookupOptions,
  TeardownCallback,
} from './context/context';

// Events
export { Signal } from './events/signal';
export type { SignalStream } from './events/signal-stream';
export { streamEvents } from './events/stream-events';

// Concurrency
export type { ServiceTaskOptions, TaskHandle } from './concurrency/service-task';
export type { TaskFailedEvent } from './concurrency/task-failed-event';
