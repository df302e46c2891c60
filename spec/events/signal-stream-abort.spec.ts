import { getEventListeners } from 'node:events';
import { InvalidArgumentError, Signal, streamEvents } from '../../lib';
import { collectGarbageUntil } from './collect-garbage';

describe('a signal stream given an AbortSignal', () => {
  it('ends a for await loop when the signal aborts, and disconnects', async () => {
    const signal = new Signal<number>();
    const controller = new AbortController();
    const seen: string[] = [];
    const loop = (async () => {
      for await (const n of signal.stream({ signal: controller.signal })) {
        seen.push(`got ${n}`);
        if (n === 2) controller.abort();
      }
      seen.push('loop ended');
    })();

    signal.dispatch(1);
    signal.dispatch(2);
    signal.dispatch(3);
    await loop;

    expect(seen).toEqual(['got 1', 'got 2', 'loop ended']);
    expect(signal.listenerCount).toBe(0);
  });

  it('resolves a pending next() as done, and every later one', async () => {
    const signal = new Signal<string>();
    const controller = new AbortController();
    const stream = signal.stream({ signal: controller.signal });
    const pending = stream.next();

    controller.abort(new Error('shutting down'));

    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    signal.dispatch('late');
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('is ended from the start when the signal is already aborted', async () => {
    const signal = new Signal<number>();
    const stream = signal.stream({ signal: AbortSignal.abort() });

    signal.dispatch(1);

    expect(signal.listenerCount).toBe(0);
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('removes its abort listener when the stream ends first, so a long-lived signal does not collect listeners', async () => {
    const signal = new Signal<number>();
    const appLifetime = new AbortController();
    for (let i = 0; i < 3; i++) {
      const stream = signal.stream({ signal: appLifetime.signal });
      signal.dispatch(i);
      await stream.next();
      await stream.return();
    }

    expect(getEventListeners(appLifetime.signal, 'abort')).toHaveLength(0);
    expect(signal.listenerCount).toBe(0);
  });

  it('ends a stream over several signals (streamEvents)', async () => {
    const a = new Signal<string>({ name: 'a' });
    const b = new Signal<number>({ name: 'b' });
    const controller = new AbortController();
    const stream = streamEvents([a, b], undefined, { signal: controller.signal });
    a.dispatch('x');
    b.dispatch(1);

    expect(await stream.next()).toEqual({ value: 'x', done: false });
    controller.abort();

    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    expect(a.listenerCount + b.listenerCount).toBe(0);
  });

  it('refuses a signal option that is not an AbortSignal', () => {
    const signal = new Signal<number>();

    expect(() => signal.stream({ signal: 'later' as unknown as AbortSignal })).toThrow(InvalidArgumentError);
    expect(signal.listenerCount).toBe(0);
  });

  // The abort listener must not keep a dropped stream alive (Python Asphalt #29 again).
  it('can still be garbage collected when dropped unread while its AbortSignal lives on', async () => {
    const signal = new Signal<number>({ name: 'Leaky' });
    const appLifetime = new AbortController();
    signal.stream({ signal: appLifetime.signal });
    expect(signal.listenerCount).toBe(1);

    expect(await collectGarbageUntil(() => signal.listenerCount === 0)).toBe(true);
    expect(getEventListeners(appLifetime.signal, 'abort')).toHaveLength(0);
  }, 120_000);
});
