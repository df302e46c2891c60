import { InvalidResourceError, type Signal } from '../index';
import { callRemote, type ImportTarget } from './remote-call';
import type { RemoteDeclaration } from './remote-registry';

/** Options of one call, or of every call through a proxy from {@link withCallOptions}. */
export interface CallOptions {
  /** Milliseconds to wait for the reply (`RemoteTimeoutError` after). */
  readonly timeout?: number;
  /** Aborting it rejects the call with `RemoteCallAbortedError`; a late reply is ignored. */
  readonly signal?: AbortSignal;
}

interface ProxyState {
  readonly target: ImportTarget;
  readonly declaration: RemoteDeclaration;
  readonly signals: ReadonlyMap<string, Signal<unknown>>;
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
}

const states = new WeakMap<object, ProxyState>();

/**
 * The object a bridge publishes for an imported resource: one function per remote method (each
 * returns a promise of the remote result) and the remote signals. Internal.
 */
export function createRemoteProxy(state: ProxyState): object {
  const proxy: Record<string, unknown> = {};
  const { target, timeout, signal } = state;
  for (const method of state.declaration.methods) {
    proxy[method] = (...args: unknown[]) => callRemote(target, method, args, timeout, signal);
  }
  for (const [name, remoteSignal] of state.signals) proxy[name] = remoteSignal;
  Object.defineProperty(proxy, Symbol.toStringTag, { value: `remote ${target.id} '${target.name}'` });
  states.set(proxy, state);
  return proxy;
}

/**
 * A view of an imported resource whose calls use `options`: a timeout, an `AbortSignal`, or both.
 * The resource itself is unchanged.
 *
 * @example
 * const quick = withCallOptions(this.mailer, { timeout: 500, signal: request.signal });
 * await quick.send('ann@example.com', 'Welcome');
 */
export function withCallOptions<T extends object>(resource: T, options: CallOptions): T {
  const state = states.get(resource);
  if (state === undefined) {
    throw new InvalidResourceError(
      `withCallOptions: ${Object.prototype.toString.call(resource)} is not a remote resource; it works on resources ` +
        `that a bridge imports (config 'import: [{ key: ... }]')`,
    );
  }
  const { timeout, signal } = options;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new InvalidResourceError(`withCallOptions: timeout must be a positive number of milliseconds, got ${timeout}`);
  }
  return createRemoteProxy({
    ...state,
    timeout: timeout ?? state.timeout,
    signal: signal === undefined ? state.signal : state.signal === undefined ? signal : AbortSignal.any([state.signal, signal]),
  }) as T;
}
