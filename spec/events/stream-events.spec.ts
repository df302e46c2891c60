import { Signal } from '../../lib/events/signal';
import type { SignalStream } from '../../lib/events/signal-stream';
import { streamEvents, type EventOf } from '../../lib/events/stream-events';
import { collectGarbageUntil } from './collect-garbage';
import { take } from './take';

type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;
/** Compiles only when `actual` has exactly the type `Expected`. */
const hasType =
  <Expected>() =>
  <Actual>(_actual: Actual, ..._exact: Equals<Actual, Expected> extends true ? [] : [never]): void =>
    undefined;

interface Sent {
  kind: 'sent';
  to: string;
}
interface Bounced {
  kind: 'bounced';
  reason: string;
}

describe('streamEvents', () => {
  it('merges several signals into one stream in dispatch order', async () => {
    const sent = new Signal<Sent>();
    const bounced = new Signal<Bounced>();
    const events = streamEvents([sent, bounced]);

    sent.dispatch({ kind: 'sent', to: 'a' });
    bounced.dispatch({ kind: 'bounced', reason: 'b' });
    sent.dispatch({ kind: 'sent', to: 'c' });

    expect(await take(events, 3)).toEqual([
      { kind: 'sent', to: 'a' },
      { kind: 'bounced', reason: 'b' },
      { kind: 'sent', to: 'c' },
    ]);
  });

  it('applies the filter to the events of every signal', async () => {
    const low = new Signal<number>();
    const high = new Signal<number>();
    const events = streamEvents([low, high], (n) => n % 2 === 0);

    low.dispatch(1);
    high.dispatch(2);
    low.dispatch(4);
    high.dispatch(5);

    expect(await take(events, 2)).toEqual([2, 4]);
  });

  it('shares one bounded queue across the signals', async () => {
    const a = new Signal<number>();
    const b = new Signal<number>();
    const events = streamEvents([a, b], undefined, { maxQueue: 2 });

    a.dispatch(1);
    b.dispatch(2);
    a.dispatch(3);

    expect(a.listenerCount + b.listenerCount).toBe(0);
    expect(await take(events, 2)).toEqual([1, 2]);
    await expect(events.next()).rejects.toMatchObject({ code: 'ASPHALT_SIGNAL_QUEUE_FULL' });
  });

  it('disconnects from every signal on return()', async () => {
    const a = new Signal<number>();
    const b = new Signal<string>();
    const events = streamEvents([a, b]);

    await events.return();

    expect([a.listenerCount, b.listenerCount]).toEqual([0, 0]);
  });

  it('connects once to a signal that is listed twice', async () => {
    const a = new Signal<number>();
    const events = streamEvents([a, a]);

    a.dispatch(1);
    a.dispatch(2);

    expect(a.listenerCount).toBe(1);
    expect(await take(events, 2)).toEqual([1, 2]);
  });

  it('disconnects from every signal once a merged stream nobody iterated is garbage collected', async () => {
    const a = new Signal<number>();
    const b = new Signal<string>();
    streamEvents([a, b]);

    expect(await collectGarbageUntil(() => a.listenerCount + b.listenerCount === 0)).toBe(true);
  });

  it('types the stream with the union of the event types (checked by tsc, not run)', () => {
    // Never called: tsc checks these lines, and running them would connect streams or throw.
    const typeChecks = (sent: Signal<Sent>, bounced: Signal<Bounced>, count: Signal<number>): void => {
      hasType<SignalStream<Sent | Bounced | number>>()(streamEvents([sent, bounced, count]));
      hasType<SignalStream<Sent>>()(streamEvents([sent]));
      hasType<SignalStream<number>>()(streamEvents([count, count] as Signal<number>[]));
      const either: readonly (Signal<Sent> | Signal<Bounced>)[] = [sent, bounced];
      hasType<SignalStream<Sent | Bounced>>()(streamEvents(either));

      streamEvents([sent, bounced], (event) => {
        assertType<Equals<typeof event, Sent | Bounced>>();
        return event.kind === 'sent';
      });

      // @ts-expect-error the filter must accept every event type of the merged signals
      streamEvents([sent, count], (event: Sent) => event.to !== '');

      // @ts-expect-error only signals can be merged
      streamEvents([sent, 'not a signal']);

      // @ts-expect-error a Signal<number> does not dispatch strings
      count.dispatch('one');

      assertType<Equals<EventOf<Signal<Bounced>>, Bounced>>();
      assertType<Equals<ReturnType<Signal<Sent>['stream']>, SignalStream<Sent>>>();
      assertType<Equals<ReturnType<Signal<Sent>['waitFor']>, Promise<Sent>>>();
    };

    expect(typeof typeChecks).toBe('function');
  });
});
