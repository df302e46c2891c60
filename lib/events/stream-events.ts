import type { Signal } from './signal';
import { SignalStream, type SignalStreamOptions } from './signal-stream';

/** The event type of a {@link Signal}: `EventOf<Signal<Sent>>` is `Sent`. */
export type EventOf<S> = S extends Signal<infer T> ? T : never;

/**
 * One stream over several signals, in dispatch order, with one shared bounded queue; `return()`
 * disconnects from all of them. The event type is the union of the signals' event types.
 *
 * @example
 * const events = streamEvents([mailer.sent, mailer.bounced]); // SignalStream<Sent | Bounced>
 * for await (const event of events) console.log(event);
 */
export function streamEvents<const S extends readonly Signal<unknown>[]>(
  signals: S,
  filter?: (event: EventOf<S[number]>) => boolean,
  options: Omit<SignalStreamOptions<EventOf<S[number]>>, 'filter'> = {},
): SignalStream<EventOf<S[number]>> {
  return new SignalStream(signals as readonly Signal<EventOf<S[number]>>[], {
    ...options,
    filter,
  });
}
