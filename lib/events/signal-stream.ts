import { InvalidArgumentError, SignalQueueFullError } from '../errors';
import type { Signal } from './signal';

/** What a stream does when its queue is full: fail the consumer, or drop the oldest event. */
export type SignalStreamOverflow = 'error' | 'drop-oldest';

/** Options of {@link Signal.stream} and {@link streamEvents}. */
export interface SignalStreamOptions<T> {
  /** Only events for which this returns `true` are queued. Runs synchronously during dispatch. */
  readonly filter?: (event: T) => boolean;
  /** Most events held for a slow consumer; default 1000. */
  readonly maxQueue?: number;
  /** `'error'` (default) fails the stream; `'drop-oldest'` keeps the newest events and warns. */
  readonly overflow?: SignalStreamOverflow;
  /**
   * Aborting it ends the stream as `return()` does: it disconnects, drops what is queued, and pending
   * and later `next()` calls resolve `done` (a `for await` loop just ends). Already aborted: the
   * stream is born ended.
   */
  readonly signal?: AbortSignal;
}

/**
 * The listener a signal holds reaches its stream only through `ref`, so a stream nobody iterates
 * can be collected; `pinned` holds it strongly only while a `next()` is pending.
 */
interface StreamCell<T> {
  readonly ref: WeakRef<SignalStream<T>>;
  pinned: SignalStream<T> | undefined;
}

// Method syntax (bivariant) so that private state keeps `SignalStream<T>` covariant in use.
interface Waiter<T> {
  resolve(result: IteratorResult<T, undefined>): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

// Held values are the disconnect functions only: they must not reach the stream they clean up after.
const abandoned = new FinalizationRegistry<readonly (() => void)[]>((disconnects) => {
  for (const disconnect of disconnects) disconnect();
});

/**
 * An async iterator over the events of one or more signals, with a bounded queue. It listens from
 * the moment it is created; `return()` (or `break` in `for await`) disconnects it, and so does
 * garbage collection of a stream that is dropped without being iterated.
 *
 * Create one with {@link Signal.stream} or {@link streamEvents}.
 *
 * @example
 * for await (const event of signal.stream({ maxQueue: 100 })) {
 *   if (event.kind === 'done') break;
 * }
 */
export class SignalStream<T> implements AsyncIterableIterator<T, undefined, undefined> {
  readonly #source: string;
  readonly #maxQueue: number;
  readonly #overflow: SignalStreamOverflow;
  readonly #cell: StreamCell<T>;
  readonly #disconnects: readonly (() => void)[];
  #items: (T | undefined)[] = [];
  #head = 0;
  #waiters: Waiter<T>[] = [];
  #failure: SignalQueueFullError | undefined;
  #closed = false;
  #dropped = 0;
  #dropBurst = false;

  /** Internal: use {@link Signal.stream} or {@link streamEvents}. */
  constructor(signals: readonly Signal<T>[], options: SignalStreamOptions<T> = {}) {
    const { filter, maxQueue = 1000, overflow = 'error', signal: abort } = options;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) {
      throw new InvalidArgumentError(`maxQueue must be a positive integer, got ${String(maxQueue)}`);
    }
    if (overflow !== 'error' && overflow !== 'drop-oldest') {
      throw new InvalidArgumentError(`overflow must be 'error' or 'drop-oldest', got ${JSON.stringify(overflow)}`);
    }
    if (abort !== undefined && (typeof abort !== 'object' || abort === null || typeof abort.addEventListener !== 'function')) {
      throw new InvalidArgumentError(`signal must be an AbortSignal (e.g. ctx.abortSignal or AbortSignal.timeout(ms)), got ${typeof abort}`);
    }
    const unique = [...new Set(signals)];
    this.#source = describeSources(unique);
    this.#maxQueue = maxQueue;
    this.#overflow = overflow;
    this.#cell = { ref: new WeakRef(this), pinned: undefined };
    const listener = SignalStream.#listener(this.#cell, filter);
    const disconnects = unique.map((signal) => signal.connect(listener));
    if (abort !== undefined) disconnects.push(SignalStream.#endOnAbort(this.#cell, abort));
    this.#disconnects = disconnects;
    abandoned.register(this, this.#disconnects, this);
    if (abort?.aborted) void this.return();
  }

  // Static for the same reason: the abort listener reaches the stream only through the cell.
  static #endOnAbort<T>(cell: StreamCell<T>, abort: AbortSignal): () => void {
    const onAbort = (): void => void (cell.pinned ?? cell.ref.deref())?.return();
    abort.addEventListener('abort', onAbort, { once: true });
    return () => abort.removeEventListener('abort', onAbort);
  }

  // Static so the closure captures only the cell and the filter, never `this`.
  static #listener<T>(cell: StreamCell<T>, filter: ((event: T) => boolean) | undefined): (event: T) => void {
    return (event) => {
      const stream = cell.pinned ?? cell.ref.deref();
      if (stream !== undefined && (filter === undefined || filter(event))) stream.#push(event);
    };
  }

  /** Resolves with the next event, waiting for one if the queue is empty. */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#items.length > this.#head) {
      this.#dropBurst = false;
      return Promise.resolve({ value: this.#shift(), done: false });
    }
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      return Promise.reject(failure);
    }
    if (this.#closed) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.#waiters.push({ resolve });
      this.#cell.pinned = this;
    });
  }

  /** Disconnects from every signal, discards queued events and ends pending `next()` calls. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.#close();
    this.#items = [];
    this.#head = 0;
    this.#failure = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#cell.pinned = undefined;
    for (const waiter of waiters) waiter.resolve(DONE);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** `await using stream = signal.stream()` disconnects at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #push(event: T): void {
    if (this.#closed) return;
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      if (this.#waiters.length === 0) this.#cell.pinned = undefined;
      waiter.resolve({ value: event, done: false });
      return;
    }
    if (this.#items.length - this.#head >= this.#maxQueue) {
      if (this.#overflow === 'error') {
        this.#failure = new SignalQueueFullError(
          `${this.#source}: stream queue is full (maxQueue ${this.#maxQueue}) because its consumer fell ` +
            `behind, so the stream was disconnected after the ${this.#maxQueue} queued events. Consume ` +
            `events faster, raise maxQueue, or use overflow: 'drop-oldest' to keep only the newest events.`,
        );
        this.#close();
        return;
      }
      this.#shift();
      this.#drop();
    }
    this.#items.push(event);
  }

  #shift(): T {
    const items = this.#items;
    const event = items[this.#head] as T;
    items[this.#head] = undefined;
    this.#head++;
    if (this.#head === items.length) {
      items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      this.#items = items.slice(this.#head);
      this.#head = 0;
    }
    return event;
  }

  // One warning per burst (until the consumer takes an event), sent after the current synchronous
  // run of dispatches so that it carries the count of that run.
  #drop(): void {
    this.#dropped++;
    if (this.#dropBurst) return;
    this.#dropBurst = true;
    queueMicrotask(() => {
      const dropped = this.#dropped;
      this.#dropped = 0;
      process.emitWarning(
        `${this.#source}: stream queue is full (maxQueue ${this.#maxQueue}); dropped the ${dropped} oldest ` +
          `event${dropped === 1 ? '' : 's'} (overflow: 'drop-oldest'). Consume events faster or raise maxQueue.`,
        { type: 'AsphaltWarning', code: SignalQueueFullError.code },
      );
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    abandoned.unregister(this);
    for (const disconnect of this.#disconnects) disconnect();
  }
}

function describeSources(signals: readonly Signal<unknown>[]): string {
  const names = signals.map((signal) => (signal.name === undefined ? '(unnamed)' : JSON.stringify(signal.name)));
  return names.length === 1 ? `Signal ${names[0]}` : `Signals ${names.join(', ')}`;
}
