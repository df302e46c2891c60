import 'reflect-metadata';

// Errors
export {
  AmbiguousProviderError,
  AsphaltError,
  AsyncResourceError,
  ComponentConstructionError,
  ComponentStartError,
  ComponentTypeError,
  ConfigError,
  DecoratorError,
  DependencyCycleError,
  GraphError,
  MissingProviderError,
  StartupTimeoutError,
  ContextStateError,
  InvalidResourceError,
  InvalidArgumentError,
  NoCurrentContextError,
  ResourceConflictError,
  ResourceNotFoundError,
  ResourceUnavailableError,
  ServiceTaskError,
  SignalQueueFullError,
  TeardownError,
  WaitTimeoutError,
} from './errors';
export { MissingPeerDependencyError } from './errors';
export type { ConfigIssue } from './errors';
export { requirePeer } from './util/require-peer';
export { ComponentStopError } from './lifecycle/stop-components';

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

// Units of work (for batteries: the SQL session attaches; mail and queue jobs wait for its commit)
export { afterCommit, attachTransactionScope, activeTransactionScope } from './context/after-commit';
export type { TransactionScope } from './context/after-commit';

// Events
export { Signal } from './events/signal';
export { SignalStream } from './events/signal-stream';
export type { SignalStreamOptions, SignalStreamOverflow } from './events/signal-stream';
export type { SignalOptions, WaitForOptions } from './events/signal';
export type { EventOf } from './events/stream-events';
export { streamEvents } from './events/stream-events';

// Concurrency
export type { ServiceTaskOptions, TaskHandle } from './concurrency/service-task';
export type { TaskFailedEvent } from './concurrency/task-failed-event';

// Components
export { Component, CLIApplicationComponent } from './components/component';
export type { ComponentType } from './components/component';
export { provides } from './components/provides';
export type { ProvidesOptions } from './components/provides';
export { requires } from './components/requires';
export type { RequiresOptions } from './components/requires';
export { component } from './components/component-decorator';
export type { ComponentOptions, NameSpec } from './components/component-metadata';
export { registerComponentType } from './components/component-registry';
export { ContainerComponent } from './components/container-component';

// Config
export { validateConfig } from './config/validate-config';
export { describeConfig } from './config/describe-config';
export type { ConfigOptionDescription } from './config/describe-config';

// Graph
export { ComponentGraph } from './graph/component-graph';
export type { ComponentGraphJSON, CriticalPath } from './graph/component-graph';
export { resolveGraph } from './graph/resolve-graph';
export type { ResolveOptions, ResolvedGraph } from './graph/resolve-graph';
export type {
  ComponentState,
  ComponentTimings,
  GraphEdge,
  GraphNode,
  Provision,
  Requirement,
  ResourceRef,
} from './graph/graph-types';

// Lifecycle
export { bootstrap } from './lifecycle/bootstrap';
export type { BootstrapOptions } from './lifecycle/bootstrap';
export { Application } from './lifecycle/application';
export { ApplicationState } from './lifecycle/application-state';
export type { ApplicationPhase, ApplicationPhaseEvent } from './lifecycle/application-state';
export type { LifecycleEvent } from './lifecycle/lifecycle-event';
export type { LogMethod } from './lifecycle/logger';
export { Logger, silentLogger, stderrLogger } from './lifecycle/logger';

// Runner and CLI
export { runApplication } from './runner/run-application';
export type { RunApplicationOptions } from './runner/run-application';
export { createLogger } from './runner/create-logger';
export { loadConfig } from './config/load-config';
export type { LoadConfigOptions, LoadedConfig } from './config/load-config';
export type { LogFormat, LogLevel, RunnerSettings } from './config/runner-settings';
export { CliUsageError } from './cli/cli-error';
export { main as cli } from './cli/main';

// Bridge
export { BridgeComponent } from './bridge/bridge-component';
export { BridgeConfig, BridgeTlsConfig, RemoteExportConfig, RemoteImportConfig } from './bridge/bridge-config';
export { remote } from './bridge/remote';
export type { RemoteOptions } from './bridge/remote';
export { declareRemote } from './bridge/remote-registry';
export type { DeclareRemoteOptions, RemoteMethodName, RemoteSignalName } from './bridge/remote-registry';
export { withCallOptions } from './bridge/remote-proxy';
export type { CallOptions } from './bridge/remote-proxy';
export {
  BridgeConnectionError,
  BridgePayloadError,
  NoRemoteProviderError,
  RemoteCallAbortedError,
  RemoteDeclarationError,
  RemoteError,
  RemoteRejectedError,
  RemoteTimeoutError,
} from './bridge/bridge-errors';
export type { RemoteCallSite, RemoteFailure } from './bridge/bridge-errors';

// Worker threads and the blocked-loop detector
export { WorkerPool } from './concurrency/worker-pool';
export type { WorkerPoolOptions, RunTaskOptions, TaskArgs } from './concurrency/worker-pool';
export { WorkerPoolComponent, WorkerPoolConfig } from './concurrency/worker-pool-component';
export { defineTask } from './concurrency/task';
export type { Task, TaskFunction } from './concurrency/task';
export { resource } from './concurrency/worker-resource';
export type { Remote } from './concurrency/worker-resource';
export { exposeToWorkers } from './concurrency/expose-to-workers';
export { labelContext } from './concurrency/context-label';
export { LoopMonitor } from './concurrency/loop-monitor';
export type { LoopMonitorOptions } from './concurrency/loop-monitor';
export type { LoopBlockedEvent, StackFrame } from './concurrency/loop-blocked-event';
export { startLoopMonitor } from './concurrency/start-loop-monitor';
export {
  WorkerCallError,
  WorkerPoolClosedError,
  WorkerQueueFullError,
  WorkerTaskAbortedError,
  WorkerTaskNotFoundError,
} from './concurrency/worker-errors';
