/**
 * Every error asphalt-ts raises: one base class, {@link AsphaltError}, and a stable string `code`
 * per failure. Match on `code` (or `instanceof`), never on the wording of a message.
 *
 * The table of codes, causes and fixes lives in the README ("Error codes"); a spec keeps the two
 * in step.
 */

const brand = Symbol.for('asphalt-ts.error');

/**
 * Base class of every asphalt-ts error. `code` is stable across releases.
 *
 * @example
 * try { ctx.getResourceNowait(Db); } catch (e) { if (e instanceof AsphaltError) console.log(e.code); }
 */
export class AsphaltError extends Error {
  /** The code every instance of this class carries. */
  static readonly code: string = 'ASPHALT_ERROR';
  /** Stable identifier of the failure, e.g. `ASPHALT_RESOURCE_CONFLICT`. */
  readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = (new.target as typeof AsphaltError).code;
    Object.defineProperty(this, brand, { value: true });
  }

  /** `TeardownError` extends `AggregateError`, so `instanceof AsphaltError` checks a brand. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== AsphaltError) return Function.prototype[Symbol.hasInstance].call(this, value);
    const branded = typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
    return branded || Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** A resource (or factory) with the same key and name is already in the context. */
export class ResourceConflictError extends AsphaltError {
  static override readonly code = 'ASPHALT_RESOURCE_CONFLICT';
}

/** No resource or factory with that key and name is visible from the context. */
export class ResourceNotFoundError extends AsphaltError {
  static override readonly code = 'ASPHALT_RESOURCE_NOT_FOUND';
  constructor(
    message: string,
    /** Human-readable key, e.g. `Mailer` or `token(Db)`. */
    readonly key: string,
    readonly resourceName: string,
  ) {
    super(message);
  }
}

/** `getResourceNowait` met a factory that returns a promise, or a resource still announced. */
export class AsyncResourceError extends AsphaltError {
  static override readonly code = 'ASPHALT_ASYNC_RESOURCE';
}

/** A value, key, name or option given to a resource call is not acceptable. */
export class InvalidResourceError extends AsphaltError {
  static override readonly code = 'ASPHALT_INVALID_RESOURCE';
}

/**
 * A public API was called with an argument it cannot use (a listener that is not a function, a
 * negative timeout, a token id with spaces, an override of an unknown component). The message
 * names the call, what it got and what it expects.
 */
export class InvalidArgumentError extends AsphaltError {
  static override readonly code = 'ASPHALT_INVALID_ARGUMENT';
}

/** A resource someone waited for will never come: its provider failed or the context closed. */
export class ResourceUnavailableError extends AsphaltError {
  static override readonly code = 'ASPHALT_RESOURCE_UNAVAILABLE';
}

/** `Context.current()` was called outside of any `ctx.run()`. */
export class NoCurrentContextError extends AsphaltError {
  static override readonly code = 'ASPHALT_NO_CURRENT_CONTEXT';
}

/** The operation is not allowed in the context's state (closing or closed). */
export class ContextStateError extends AsphaltError {
  static override readonly code = 'ASPHALT_CONTEXT_STATE';
}

/**
 * One or more teardown callbacks (or stops) failed. Every failure is in `errors`, in the order
 * they happened; none is dropped.
 */
export class TeardownError extends AggregateError {
  static readonly code = 'ASPHALT_TEARDOWN';
  readonly code = TeardownError.code;
  constructor(errors: readonly unknown[], message: string) {
    super(errors, message);
    this.name = 'TeardownError';
    Object.defineProperty(this, brand, { value: true });
  }
}

/** A signal stream's bounded queue overflowed because its consumer fell behind. */
export class SignalQueueFullError extends AsphaltError {
  static override readonly code = 'ASPHALT_SIGNAL_QUEUE_FULL';
}

/** `Signal.waitFor` (or another bounded wait) ran out of time. */
export class WaitTimeoutError extends AsphaltError {
  static override readonly code = 'ASPHALT_WAIT_TIMEOUT';
}

/** A service task failed while its context was open. */
export class ServiceTaskError extends AsphaltError {
  static override readonly code = 'ASPHALT_SERVICE_TASK_FAILED';
  constructor(
    message: string,
    readonly taskName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * `contextTeardown` was given something other than an async generator function, or its generator
 * returned without yielding, or yielded a second time after the context closed.
 */
export class TeardownGeneratorError extends AsphaltError {
  static override readonly code = 'ASPHALT_TEARDOWN_GENERATOR';
}

/**
 * A task started with `startAndWait` ended, or was cancelled, before it called `status.started()`,
 * or called it twice. (A task that throws before `started()` rejects the wait with its own error.)
 */
export class TaskStartError extends AsphaltError {
  static override readonly code = 'ASPHALT_TASK_START';
  constructor(
    message: string,
    readonly taskName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A decorator was used where it cannot work (wrong target, bad key or name). */
export class DecoratorError extends AsphaltError {
  static override readonly code = 'ASPHALT_DECORATOR';
}

/** A component type could not be found, loaded or used. */
export class ComponentTypeError extends AsphaltError {
  static override readonly code = 'ASPHALT_COMPONENT_TYPE';
}

/** Components depend on each other in a circle; `cycle` is the path, first component repeated last. */
export class DependencyCycleError extends AsphaltError {
  static override readonly code = 'ASPHALT_DEPENDENCY_CYCLE';
  constructor(
    message: string,
    readonly cycle: readonly string[],
  ) {
    super(message);
  }
}

/**
 * A component's `stopAfter` cannot be used: it names no component (relative to the component's
 * parent), the component itself, one of its descendants, or is set on the root (which has no
 * siblings). A `stopAfter` that contradicts the dependency order is a `DependencyCycleError`.
 */
export class StopAfterError extends AsphaltError {
  static override readonly code = 'ASPHALT_STOP_AFTER';
  constructor(
    message: string,
    /** Path of the component whose `stopAfter` it is. */
    readonly path: string,
    /** The name as written in `stopAfter`. */
    readonly target: string,
  ) {
    super(message);
  }
}

/** A component requires a resource that no component (or the context) provides in its scope. */
export class MissingProviderError extends AsphaltError {
  static override readonly code = 'ASPHALT_MISSING_PROVIDER';
  constructor(
    message: string,
    readonly consumer: string,
    readonly key: string,
    readonly resourceName: string,
  ) {
    super(message);
  }
}

/** Two components provide the same key and name in the same scope. */
export class AmbiguousProviderError extends AsphaltError {
  static override readonly code = 'ASPHALT_AMBIGUOUS_PROVIDER';
  constructor(
    message: string,
    readonly providers: readonly string[],
  ) {
    super(message);
  }
}

/** A component could not be constructed (its constructor threw). */
export class ComponentConstructionError extends AsphaltError {
  static override readonly code = 'ASPHALT_COMPONENT_CONSTRUCTION';
}

/** Everything wrong with a component tree, found before anything started. */
export class GraphError extends AsphaltError {
  static override readonly code = 'ASPHALT_GRAPH';
  constructor(
    message: string,
    /** Every problem found: cycles, missing and ambiguous providers, config and type errors. */
    readonly problems: readonly AsphaltError[],
  ) {
    super(message);
  }
}

/** Starting the application failed; everything that had started was stopped again. */
export class ComponentStartError extends AsphaltError {
  static override readonly code = 'ASPHALT_COMPONENT_START';
  /** What failed, as the first line(s) of the message, without what the rollback did. */
  readonly #what: string;

  constructor(
    message: string,
    /** `construct`, `config`, `wait`, `prepare`, `start`, `timeout` or `abort`. */
    readonly phase: string,
    /** Path of the component that failed (`root.db`). */
    readonly path: string,
    options?: ErrorOptions & { rolledBack?: boolean },
  ) {
    const rollback = options?.rolledBack === true ? 'Everything that had started was stopped again.' : undefined;
    super(rollback === undefined ? message : `${message}\n${rollback}`, options);
    this.#what = message;
  }

  /** Set when stopping what had started also failed: the `TeardownError` of that rollback. */
  rollbackError?: unknown;

  /**
   * Records that stopping what had started failed too: sets {@link rollbackError}, and the message
   * (and the stack's first lines) say so instead of that everything was stopped again.
   */
  rollbackFailed(failure: unknown): void {
    this.rollbackError = failure;
    const said = this.message;
    this.message = `${this.#what}\nStopping what had started failed too (the error's rollbackError): ${failure instanceof Error ? failure.message : String(failure)}`;
    // The stack begins with `Name: message` as it was when the error was made.
    const header = this.stack?.indexOf(said) ?? -1;
    if (header !== -1) this.stack = this.stack!.slice(0, header) + this.message + this.stack!.slice(header + said.length);
  }
}

/** A component did not finish `prepare()` + `start()` within its start timeout. */
export class StartupTimeoutError extends AsphaltError {
  static override readonly code = 'ASPHALT_STARTUP_TIMEOUT';
  constructor(
    message: string,
    readonly path: string,
    /** The tree of components still pending, as printed in the message. */
    readonly pendingTree: string,
  ) {
    super(message);
  }
}

/** One problem in the configuration; {@link ConfigError} carries them all. */
export interface ConfigIssue {
  /** Dotted path of the option, e.g. `components.db.port` (array items by index: `servers.1`). */
  readonly path: string;
  /** What is wrong, without the path, e.g. `must be an integer number`. */
  readonly message: string;
  /** The offending value, when there is one; shown as JSON in the message. */
  readonly value?: unknown;
  /** Where the value came from, e.g. `config.yaml:12:3`, `--set db.port=x`, `env ASPHALT_X`. */
  readonly source?: string;
}

/**
 * The configuration is invalid. Every problem found is in `issues`, in document order, and the
 * message lists them one per line with the path, the value found and where it came from.
 */
export class ConfigError extends AsphaltError {
  static override readonly code = 'ASPHALT_CONFIG';
  constructor(
    readonly issues: readonly ConfigIssue[],
    intro?: string,
  ) {
    // One issue is one line (no header to read past); several are listed under a count.
    super(
      issues.length === 1 && intro === undefined
        ? `invalid configuration: ${formatConfigIssue(issues[0]!).slice(4)}`
        : [intro ?? `invalid configuration (${issues.length} problems):`, ...issues.map(formatConfigIssue)].join('\n'),
    );
  }
}

function formatConfigIssue({ path, message, value, source }: ConfigIssue): string {
  let line = `  - ${path || '(top level)'}: ${message}`;
  if (value !== undefined) line += ` (got ${abbreviatedJson(value)})`;
  if (source !== undefined) line += ` [${source}]`;
  return line;
}

function abbreviatedJson(value: unknown, limit = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/**
 * A battery was used without the driver library it runs on (an optional peer dependency). The
 * message names the package and gives the install command.
 */
export class MissingPeerDependencyError extends AsphaltError {
  static override readonly code = 'ASPHALT_MISSING_PEER_DEPENDENCY';
  constructor(
    message: string,
    /** The npm package to install, e.g. `fastify`. */
    readonly packageName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Why a context was closed with a {@link ContextAbortedError}. */
export type ContextAbortReason = 'parent-closing' | 'application-stopping' | 'stop-timeout';

/**
 * A context was closed before its work finished: its parent or owner closed, the application is
 * stopping, or a stop timed out. Teardown callbacks receive it as the ending error, so a
 * transaction opened in the context rolls back instead of committing unfinished work.
 */
export class ContextAbortedError extends AsphaltError {
  static override readonly code = 'ASPHALT_CONTEXT_ABORTED';
  constructor(
    message: string,
    readonly reason: ContextAbortReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
