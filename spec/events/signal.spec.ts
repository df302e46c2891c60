import { getEventListeners } from 'node:events';
import { AsphaltError } from '../../lib/errors';
import { Signal } from '../../lib/events/signal';
import { collectGarbageUntil } from './collect-garbage';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const activeTimeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('Signal', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  describe('connect and dispatch', () => {
    it('calls listeners synchronously in connection order', () => {
      const signal = new Signal<number>();
      const calls: string[] = [];
      signal.connect((n) => calls.push(`a${n}`));
      signal.connect((n) => calls.push(`b${n}`));
      signal.connect((n) => calls.push(`c${n}`));

      signal.dispatch(1);

      expect(calls).toEqual(['a1', 'b1', 'c1']);
    });

    it('connects the same function twice as two connections', () => {
      const signal = new Signal<number>();
      const seen: number[] = [];
      const listener = (n: number): number => seen.push(n);
      const disconnectFirst = signal.connect(listener);
      signal.connect(listener);

      signal.dispatch(1);
      disconnectFirst();
      signal.dispatch(2);

      expect(seen).toEqual([1, 1, 2]);
      expect(signal.listenerCount).toBe(1);
    });

    it('stops calling a listener once it is disconnected, and disconnecting twice is harmless', () => {
      const signal = new Signal<number>();
      const seen: number[] = [];
      const disconnect = signal.connect((n) => seen.push(n));

      signal.dispatch(1);
      disconnect();
      disconnect();
      signal.dispatch(2);

      expect(seen).toEqual([1]);
      expect(signal.listenerCount).toBe(0);
    });

    it('does not call a listener that an earlier listener disconnected during the same dispatch', () => {
      const signal = new Signal<string>();
      const calls: string[] = [];
      signal.connect(() => {
        calls.push('first');
        disconnectSecond();
      });
      const disconnectSecond = signal.connect(() => calls.push('second'));
      signal.connect(() => calls.push('third'));

      signal.dispatch('x');

      expect(calls).toEqual(['first', 'third']);
      expect(signal.listenerCount).toBe(2);
    });

    it('lets a listener disconnect itself during dispatch without skipping the next listener', () => {
      const signal = new Signal<number>();
      const calls: string[] = [];
      const disconnectSelf = signal.connect(() => {
        calls.push('once');
        disconnectSelf();
      });
      signal.connect((n) => calls.push(`always${n}`));

      signal.dispatch(1);
      signal.dispatch(2);

      expect(calls).toEqual(['once', 'always1', 'always2']);
    });

    it('calls a listener connected during a dispatch from the next dispatch on', () => {
      const signal = new Signal<number>();
      const late: number[] = [];
      let connected = false;
      signal.connect(() => {
        if (!connected) signal.connect((n) => late.push(n));
        connected = true;
      });

      signal.dispatch(1);
      signal.dispatch(2);

      expect(late).toEqual([2]);
    });
  });

  describe('listener failures', () => {
    it('reports a throwing listener to onListenerError while the others still get the event', () => {
      const failures: [unknown, number][] = [];
      const signal = new Signal<number>({ onListenerError: (error, event) => failures.push([error, event]) });
      const seen: string[] = [];
      const boom = new Error('boom');
      signal.connect(() => seen.push('before'));
      signal.connect(() => {
        throw boom;
      });
      signal.connect(() => seen.push('after'));

      signal.dispatch(7);

      expect(seen).toEqual(['before', 'after']);
      expect(failures).toEqual([[boom, 7]]);
    });

    it('reports a rejecting async listener while the others still get the event', async () => {
      const failures: unknown[] = [];
      const signal = new Signal<number>({ onListenerError: (error) => failures.push(error) });
      const seen: number[] = [];
      const boom = new Error('async boom');
      signal.connect(async () => {
        throw boom;
      });
      signal.connect((n) => seen.push(n));

      signal.dispatch(1);
      await nextTurn();

      expect(seen).toEqual([1]);
      expect(failures).toEqual([boom]);
    });

    it('by default emits a process warning that names the signal and keeps the cause', async () => {
      const signal = new Signal<number>({ name: 'Mailer.sent' });
      const thrown = new Error('thrown');
      const rejected = new Error('rejected');
      signal.connect(() => {
        throw thrown;
      });
      signal.connect(() => Promise.reject(rejected));

      signal.dispatch(1);
      await nextTurn();

      const warnings = warn.mock.calls.map(([warning]) => warning as AsphaltError);
      expect(warnings).toHaveLength(2);
      expect(warnings.map((w) => w instanceof AsphaltError)).toEqual([true, true]);
      expect(warnings.map((w) => w.cause)).toEqual([thrown, rejected]);
      expect(warnings[0].message).toContain('"Mailer.sent"');
      expect(warnings[0].message).toContain('listener failed');
    });

    it('still reports the original failure when onListenerError itself throws', () => {
      const signal = new Signal<number>({
        onListenerError: () => {
          throw new Error('handler broke');
        },
      });
      const original = new Error('original');
      signal.connect(() => {
        throw original;
      });

      signal.dispatch(1);

      const causes = warn.mock.calls.map(([warning]) => (warning as AsphaltError).cause);
      expect(causes).toContain(original);
    });
  });

  describe('waitFor', () => {
    it('resolves with the first event that matches the filter and then disconnects', async () => {
      const signal = new Signal<number>();
      const waiting = signal.waitFor((n) => n > 1);

      signal.dispatch(1);
      signal.dispatch(2);
      signal.dispatch(3);

      await expect(waiting).resolves.toBe(2);
      expect(signal.listenerCount).toBe(0);
    });

    it('resolves with the next event when no filter is given', async () => {
      const signal = new Signal<string>();
      const waiting = signal.waitFor();

      signal.dispatch('ready');

      await expect(waiting).resolves.toBe('ready');
    });

    it('rejects with ASPHALT_WAIT_TIMEOUT naming the signal and the timeout, and disconnects', async () => {
      const signal = new Signal<number>({ name: 'Db.ready' });

      const error = await signal.waitFor(undefined, { timeout: 20 }).catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'ASPHALT_WAIT_TIMEOUT' });
      expect((error as Error).message).toContain('"Db.ready"');
      expect((error as Error).message).toContain('20 ms');
      expect(signal.listenerCount).toBe(0);
    });

    it('clears its timer once it has resolved', async () => {
      const signal = new Signal<number>();
      const before = activeTimeouts();
      const waiting = signal.waitFor(undefined, { timeout: 60_000 });
      expect(activeTimeouts()).toBe(before + 1);

      signal.dispatch(1);
      await waiting;

      expect(activeTimeouts()).toBe(before);
    });

    it('rejects with the abort reason and removes its listeners when aborted', async () => {
      const signal = new Signal<number>();
      const controller = new AbortController();
      const reason = new Error('shutting down');
      const waiting = signal.waitFor(undefined, { signal: controller.signal, timeout: 60_000 });

      controller.abort(reason);

      await expect(waiting).rejects.toBe(reason);
      expect(signal.listenerCount).toBe(0);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('rejects at once when the abort signal is already aborted, without connecting', async () => {
      const signal = new Signal<number>();
      const reason = new Error('already gone');

      const waiting = signal.waitFor(undefined, { signal: AbortSignal.abort(reason) });

      expect(signal.listenerCount).toBe(0);
      await expect(waiting).rejects.toBe(reason);
    });

    it('removes its abort listener once it has resolved', async () => {
      const signal = new Signal<number>();
      const controller = new AbortController();
      const waiting = signal.waitFor(undefined, { signal: controller.signal });

      signal.dispatch(5);

      await expect(waiting).resolves.toBe(5);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('rejects with what the filter threw and disconnects', async () => {
      const signal = new Signal<number>();
      const broken = new Error('bad filter');
      const waiting = signal.waitFor(() => {
        throw broken;
      });

      signal.dispatch(1);

      await expect(waiting).rejects.toBe(broken);
      expect(signal.listenerCount).toBe(0);
    });
  });

  it('does not keep the object that owns it alive', async () => {
    class Mailer {
      readonly sent = new Signal<string>({ name: 'Mailer.sent' });
    }
    const owner = (() => {
      const mailer = new Mailer();
      mailer.sent.connect(() => undefined);
      mailer.sent.stream();
      return new WeakRef(mailer);
    })();

    expect(await collectGarbageUntil(() => owner.deref() === undefined)).toBe(true);
  });
});
