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
  StopAfterError,
  ContextStateError,
  InvalidResourceError,
  InvalidArgumentError,
  NoCurrentContextError,
  ResourceConflictError,
  ResourceNotFoundError,
  ResourceUnavailableError,
  ServiceTaskError,
  SignalQueueFullError,
  TaskStartError,
  TeardownError,
  TeardownGeneratorError,
  WaitTimeoutError,
} from './errors';
export { ContextAbortedError, MissingPeerDependencyError } from './errors';
export type { ContextAbortReason } from './errors';
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
export { inject, injectable } from './context/inject';
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

// Service tasks, task factories, teardown generators and context labels
export type { ServiceTaskOptions } from './context/service-task';
export type { TaskFunction, TaskHandle, TaskStatus } from './context/task-handle';
export { createTaskFactory } from './context/task-factory';
export type { TaskFactory, TaskFactoryOptions } from './context/task-factory';
export { contextTeardown } from './context/context-teardown';
export type { TeardownGeneratorFunction } from './context/context-teardown';
export type { TaskFailedEvent } from './context/task-failed-event';
export { describeContext, labelContext } from './context/context-label';

// Components
export { Component, CLIApplicationComponent } from './components/component';
export type { ComponentType } from './components/component';
export { provides } from './components/provides';
export type { ProvidesOptions } from './components/provides';
export { requires } from './components/requires';
export type { RequiresOptions } from './components/requires';
export { component } from './components/component-decorator';
export type { ComponentOptions, NameSpec } from './components/component-metadata';
export { ComponentTypeRegistry, defaultComponentTypes, registerComponentType } from './components/component-registry';
export type { RegisteredType } from './components/component-registry';
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
export { reportWaiting } from './lifecycle/report-waiting';

// Helpers for battery authors
export { closestMatch } from './util/closest-match';
