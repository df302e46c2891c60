/**
 * What crosses between the main thread and the pool's worker threads. Internal. The two error
 * functions are also copied into the worker entry as source text (`Function.prototype.toString`),
 * so they must stay self-contained: no imports, no helpers from module scope.
 */

/** An error as it crosses threads: what structured clone would drop (class, `code`, extra fields) kept. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stack?: string;
  /** Other own enumerable fields that can be cloned (`errno`, `path`, `key`, ...). */
  readonly props?: Readonly<Record<string, unknown>>;
  readonly cause?: WireError | { readonly value: unknown };
}

/** One task as the worker entry receives it. */
export interface TaskPayload {
  readonly file: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  readonly taskId: number;
}

/** What the worker entry resolves with (it never rejects, so nothing is lost to structured clone). */
export type TaskOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WireError };

/** A worker's call of a main-thread resource method. `key` is `token:<id>` or `class:<name>`. */
export interface CallRequest {
  readonly id: number;
  readonly taskId: number;
  readonly key: string;
  readonly name: string | undefined;
  readonly method: string;
  readonly args: readonly unknown[];
}

export type CallReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: WireError };

/** The message a worker sends once, on its first call, to hand the main thread its call port. */
export const CONNECT = '__asphaltWorkerConnect';

/** `serializeError(error)`: a cloneable description of any thrown value. Self-contained. */
export function serializeError(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: `a non-error value was thrown: ${String(error)}`, props: { thrown: safeValue(error) } };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'code' || key === 'cause' || key === 'stack' || key === 'message' || key === 'name') continue;
    const value = safeValue((error as unknown as Record<string, unknown>)[key]);
    if (value !== undefined) props[key] = value;
  }
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name,
    message: error.message,
    code: typeof code === 'string' ? code : undefined,
    stack: error.stack,
    props: Object.keys(props).length > 0 ? props : undefined,
    cause: cause === undefined ? undefined : depth < 4 ? serializeError(cause, depth + 1) : undefined,
  };

  function safeValue(value: unknown): unknown {
    const type = typeof value;
    if (value === null || type === 'string' || type === 'number' || type === 'boolean') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value;
    return undefined;
  }
}

/**
 * `deserializeError(wire)`: an `Error` (of the built-in class of the same name, if any) with the
 * original `name`, `message`, `code`, fields and stack, the stack being the one of the thread that
 * threw. Errors with an `ASPHALT_` code pass `instanceof AsphaltError`. Self-contained.
 */
export function deserializeError(wire: WireError): Error {
  const builtins: Record<string, ErrorConstructor> = {
    TypeError,
    RangeError,
    SyntaxError,
    ReferenceError,
    EvalError,
    URIError,
  };
  const Builtin = builtins[wire.name] ?? Error;
  const error = new Builtin(wire.message) as Error & Record<string, unknown>;
  if (wire.props) Object.assign(error, wire.props);
  Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true, enumerable: false });
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.cause !== undefined) {
    const cause = 'value' in wire.cause ? wire.cause.value : deserializeError(wire.cause as WireError);
    Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true, enumerable: false });
  }
  if (wire.stack !== undefined) Object.defineProperty(error, 'stack', { value: wire.stack, configurable: true, writable: true, enumerable: false });
  if (typeof wire.code === 'string' && wire.code.startsWith('ASPHALT_')) {
    Object.defineProperty(error, Symbol.for('asphalt-ts.error'), { value: true });
  }
  return error;
}
