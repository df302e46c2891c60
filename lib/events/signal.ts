import { AsphaltError, InvalidArgumentError, WaitTimeoutError } from '../errors';
import { SignalStream, type SignalStreamOptions } from './signal-stream';

/** Options of a {@link Signal}. */
export interface SignalOptions<T> {
  /** Names the signal in every error and warning, e.g. `'Mailer.sent'`. */
  readonly name?: string;
  /**
   * Receives what a listener threw or rejected with. Without it, the failure becomes a process
   * warning (`process.emitWarning`) whose `cause` is the error.
   */
  readonly onListenerError?: (error: unknown, event: T) => void;
}

/** Options of {@link Signal.waitFor}. */
export interface WaitForOptions {
  /** Milliseconds to wait before rejecting with `WaitTimeoutError`. */
  readonly timeout?: number;
  /** Aborting rejects the wait with `signal.reason`. */
  readonly signal?: AbortSignal;
}

// Stored callbacks are typed with method syntax (bivariant), so that private state does not make
// `Signal<T>` invariant: a `Signal<Sent>` can be passed where a `Signal<unknown>` is expected.
type Listener<T> = { listener(event: T): unknown }['listener'];
type ListenerErrorHandler<T> = { handler(error: unknown, event: T): void }['handler'];

class Connection<T> {
  connected = true;
  constructor(readonly listener: Listener<T>) {}
}

/**
 * A synchronous event channel: listeners are called in connection order on every `dispatch`. A
 * listener that throws or rejects does not stop the others; its failure is reported.
 *
 * @example
 * const sent = new Signal<{ to: string }>({ name: 'Mailer.sent' });
 * const disconnect = sent.connect((event) => console.log('sent to', event.to));
 * sent.dispatch({ to: 'ann@example.com' });
 * disconnect();
 */
export class Signal<T> {
  readonly #name: string | undefined;
  readonly #onListenerError: ListenerErrorHandler<T> | undefined;
  // Replaced, never mutated, so that a dispatch in progress keeps iterating its own snapshot.
  #connections: readonly Connection<T>[] = [];

  constructor(options: SignalOptions<T> = {}) {
    this.#name = options.name;
    this.#onListenerError = options.onListenerError;
  }

  /** The name given at construction, if any. */
  get name(): string | undefined {
    return this.#name;
  }

  /** How many listeners are connected (each `connect` call counts once). */
  get listenerCount(): number {
    return this.#connections.length;
  }

  /**
   * Calls `listener` on every later dispatch, until the returned function is called. Connecting
   * the same function twice connects it twice. A listener connected during a dispatch first hears
   * the next one; a listener disconnected during a dispatch is not called again, even by it.
   *
   * @example
   * const disconnect = signal.connect((event) => log(event));
   * disconnect(); // idempotent
   */
  connect(listener: (event: T) => unknown): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidArgumentError(`${this.#describe()}: connect() needs a function, got ${typeof listener}`);
    }
    const connection = new Connection(listener);
    this.#connections = [...this.#connections, connection];
    return () => this.#disconnect(connection);
  }

  /**
   * Calls every connected listener with `event`, synchronously and in connection order. Failures
   * (a throw, or a returned promise that rejects) go to `onListenerError` or a process warning.
   *
   * @example
   * signal.dispatch({ to: 'ann@example.com' });
   */
  dispatch(event: T): void {
    const connections = this.#connections;
    for (let i = 0; i < connections.length; i++) {
      const connection = connections[i];
      if (!connection.connected) continue;
      let result: unknown;
      try {
        result = connection.listener(event);
      } catch (error) {
        this.#report(error, event);
        continue;
      }
      if (typeof result === 'object' && result !== null) this.#watch(result, event);
    }
  }

  /**
   * An async iterator over the events dispatched from now on, queued until consumed. The queue is
   * bounded (`maxQueue`, default 1000); see {@link SignalStreamOptions.overflow}.
   *
   * @example
   * for await (const event of signal.stream({ filter: (e) => e.to.endsWith('@example.com') })) {
   *   console.log(event.to);
   * }
   */
  stream(options?: SignalStreamOptions<T>): SignalStream<T> {
    return new SignalStream<T>([this], options);
  }

  /**
   * Resolves with the next event that passes `filter`. Rejects with `WaitTimeoutError` after
   * `timeout` ms, or with the abort reason of `signal`. It disconnects and clears its timer when it
   * settles.
   *
   * @example
   * const event = await signal.waitFor((e) => e.to === 'ann@example.com', { timeout: 5000 });
   */
  waitFor(filter?: (event: T) => boolean, options: WaitForOptions = {}): Promise<T> {
    const { timeout, signal: abort } = options;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
      return Promise.reject(
        new InvalidArgumentError(`${this.#describe()}: waitFor timeout must be a finite number of ms >= 0, got ${timeout}`),
      );
    }
    if (abort?.aborted) return Promise.reject(abort.reason);
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        disconnect();
        if (timer !== undefined) clearTimeout(timer);
        abort?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        settle();
        reject(abort?.reason);
      };
      const disconnect = this.connect((event) => {
        let matches: boolean;
        try {
          matches = filter === undefined || filter(event);
        } catch (error) {
          settle();
          reject(error);
          return;
        }
        if (matches) {
          settle();
          resolve(event);
        }
      });
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          settle();
          reject(
            new WaitTimeoutError(
              `${this.#describe()}: no matching event within ${timeout} ms. Check that the event is ` +
                `dispatched after waitFor() is called, or raise the timeout.`,
            ),
          );
        }, timeout);
      }
      abort?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #disconnect(connection: Connection<T>): void {
    if (!connection.connected) return;
    connection.connected = false;
    this.#connections = this.#connections.filter((c) => c !== connection);
  }

  // Only results that are objects get here, so plain synchronous listeners pay one typeof check.
  #watch(result: object, event: T): void {
    if (typeof (result as Partial<PromiseLike<unknown>>).then !== 'function') return;
    try {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) => this.#report(error, event));
    } catch (error) {
      this.#report(error, event);
    }
  }

  #report(error: unknown, event: T): void {
    const handler = this.#onListenerError;
    if (handler !== undefined) {
      try {
        handler(error, event);
        return;
      } catch (handlerError) {
        warn(
          new AsphaltError(`${this.#describe()}: onListenerError threw while reporting a listener failure`, {
            cause: handlerError,
          }),
        );
      }
    }
    warn(
      new AsphaltError(
        `${this.#describe()}: a listener failed (threw or rejected) while handling an event; the other ` +
          `listeners still received it. See the cause, or pass onListenerError to handle such failures.`,
        { cause: error },
      ),
    );
  }

  #describe(): string {
    return this.#name === undefined ? 'Signal (unnamed)' : `Signal ${JSON.stringify(this.#name)}`;
  }
}

/**
 * `process.emitWarning(error)`, in any realm: Node checks `instanceof Error` against its own
 * realm's `Error`, so an error made in another one (a jest sandbox, a `vm` context) is a TypeError.
 * Then the warning is emitted as text with the error's code and stack as its detail (the cause's
 * stack included); a warning that still cannot be emitted is written to stderr. Never throws: a
 * dispatch must reach the other listeners.
 */
function warn(error: AsphaltError): void {
  try {
    process.emitWarning(error);
    return;
  } catch {
    // another realm's Error: fall through to the text form
  }
  const cause = error.cause instanceof Object && 'stack' in error.cause ? String((error.cause as { stack?: unknown }).stack) : String(error.cause);
  try {
    process.emitWarning(error.message, { type: 'AsphaltWarning', code: error.code, detail: `cause: ${cause}` });
  } catch {
    try {
      process.stderr.write(`(asphalt warning) ${error.message}\ncause: ${cause}\n`);
    } catch {
      // nowhere left to report it
    }
  }
}
