import type { SignalStream } from '../../lib/events/signal-stream';

/** Reads up to `count` events from `stream` (fewer if it ends). */
export async function take<T>(stream: SignalStream<T>, count: number): Promise<T[]> {
  const taken: T[] = [];
  for (let i = 0; i < count; i++) {
    const result = await stream.next();
    if (result.done) break;
    taken.push(result.value);
  }
  return taken;
}
