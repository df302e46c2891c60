import { InvalidArgumentError, SignalQueueFullError } from '../../lib/errors';
import { Signal } from '../../lib/events/signal';
import { collectGarbageUntil } from './collect-garbage';
import { take } from './take';

describe('SignalStream', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('receives events dispatched after stream() but before the first next()', async () => {
    const signal = new Signal<number>();
    const stream = signal.stream();

    signal.dispatch(1);
    signal.dispatch(2);

    expect(await take(stream, 2)).toEqual([1, 2]);
  });

  it('resolves a pending next() with the next dispatched event', async () => {
    const signal = new Signal<string>();
    const stream = signal.stream();
    const pending = stream.next();

    signal.dispatch('hello');

    await expect(pending).resolves.toEqual({ value: 'hello', done: false });
  });

  it('queues only the events that pass the filter', async () => {
    const signal = new Signal<number>();
    const stream = signal.stream({ filter: (n) => n % 2 === 0 });

    for (let n = 1; n <= 6; n++) signal.dispatch(n);

    expect(await take(stream, 3)).toEqual([2, 4, 6]);
  });

  it("with overflow 'error' delivers the queued events, then rejects with ASPHALT_SIGNAL_QUEUE_FULL", async () => {
    const signal = new Signal<number>({ name: 'Feed.item' });
    const stream = signal.stream({ maxQueue: 3 });

    for (let n = 1; n <= 5; n++) signal.dispatch(n);

    expect(signal.listenerCount).toBe(0);
    expect(await take(stream, 3)).toEqual([1, 2, 3]);
    const error = await stream.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignalQueueFullError);
    expect(error).toMatchObject({ code: 'ASPHALT_SIGNAL_QUEUE_FULL' });
    expect((error as Error).message).toMatch(/"Feed\.item".*maxQueue 3.*drop-oldest/s);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("with overflow 'drop-oldest' keeps the newest events and warns once with the count dropped", async () => {
    const signal = new Signal<number>({ name: 'Feed.item' });
    const stream = signal.stream({ maxQueue: 3, overflow: 'drop-oldest' });

    for (let n = 1; n <= 10; n++) signal.dispatch(n);
    await Promise.resolve();

    expect(signal.listenerCount).toBe(1);
    expect(await take(stream, 3)).toEqual([8, 9, 10]);
    expect(warn).toHaveBeenCalledTimes(1);
    const [message, options] = warn.mock.calls[0] as [string, { code: string }];
    expect(message).toContain('"Feed.item"');
    expect(message).toContain('dropped the 7 oldest events');
    expect(options.code).toBe('ASPHALT_SIGNAL_QUEUE_FULL');
  });

  it("with overflow 'drop-oldest' warns again for a new burst after the consumer caught up", async () => {
    const signal = new Signal<number>();
    const stream = signal.stream({ maxQueue: 1, overflow: 'drop-oldest' });

    signal.dispatch(1);
    signal.dispatch(2);
    await Promise.resolve();
    await stream.next();
    signal.dispatch(3);
    signal.dispatch(4);
    await Promise.resolve();

    expect(warn).toHaveBeenCalledTimes(2);
    expect(await take(stream, 1)).toEqual([4]);
  });

  it('disconnects on return() and discards the queued events', async () => {
    const signal = new Signal<number>();
    const stream = signal.stream();
    signal.dispatch(1);

    await stream.return();

    expect(signal.listenerCount).toBe(0);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('ends a pending next() when return() is called', async () => {
    const signal = new Signal<number>();
    const stream = signal.stream();
    const pending = stream.next();

    await stream.return();

    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(signal.listenerCount).toBe(0);
  });

  it('disconnects when a for await loop breaks', async () => {
    const signal = new Signal<number>();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const n of signal.stream()) {
        seen.push(n);
        if (n === 2) break;
      }
    })();

    signal.dispatch(1);
    signal.dispatch(2);
    signal.dispatch(3);
    await consumer;

    expect(seen).toEqual([1, 2]);
    expect(signal.listenerCount).toBe(0);
  });

  it('disconnects at the end of an await using block', async () => {
    const signal = new Signal<number>();
    {
      await using stream = signal.stream();
      signal.dispatch(1);
      expect(await take(stream, 1)).toEqual([1]);
    }
    expect(signal.listenerCount).toBe(0);
  });

  it('rejects a maxQueue that is not a positive integer', () => {
    const signal = new Signal<number>();

    expect(() => signal.stream({ maxQueue: 0 })).toThrow(InvalidArgumentError);
    expect(() => signal.stream({ maxQueue: Infinity })).toThrow(InvalidArgumentError);
    expect(signal.listenerCount).toBe(0);
  });

  // Regression: Python Asphalt #29, a stream created and never iterated kept its listener forever.
  it('disconnects a stream that is dropped without being iterated once it is garbage collected', async () => {
    const signal = new Signal<number>({ name: 'Leaky' });
    signal.stream();
    signal.stream({ filter: (n) => n > 0 });
    signal.dispatch(1);
    expect(signal.listenerCount).toBe(2);

    expect(await collectGarbageUntil(() => signal.listenerCount === 0)).toBe(true);
  });

  it('stays connected while a consumer is waiting on next(), even with no other reference to it', async () => {
    const signal = new Signal<number>();
    let received: number | undefined;
    void (async () => {
      for await (const n of signal.stream()) {
        received = n;
        break;
      }
    })();

    // Ten full collections, each with finalizers run in between, would have disconnected it.
    expect(await collectGarbageUntil(() => signal.listenerCount === 0, 10)).toBe(false);
    signal.dispatch(42);
    await new Promise((resolve) => setImmediate(resolve));

    expect(received).toBe(42);
    expect(signal.listenerCount).toBe(0);
  }, 120_000);
});
