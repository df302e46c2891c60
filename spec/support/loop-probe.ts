import { LoopMonitor } from '../../lib/workers';

/** Whether the loop monitor's thread has caught this thread blocked since {@link LoopProbe.reset}. */
export interface LoopProbe {
  caught: boolean;
  reset(): void;
}

const PROBE = Symbol.for('asphalt-ts.loop-probe');

/**
 * Wraps the probe that the first LoopMonitor installs, so that a spec's deliberate block can last
 * until the monitor thread has paused this thread and probed it, however slow a loaded machine
 * makes that thread, instead of for a fixed time. Call at the top of a spec file (it adds a beforeAll).
 */
export function useLoopProbe(): LoopProbe {
  // A data property, not a getter: the busy loop reads it, and a getter would be the frame the
  // monitor catches the thread in, instead of the spec's blocking function.
  const probe = { caught: false, reset: () => void (probe.caught = false) };
  beforeAll(async () => {
    await new LoopMonitor({ threshold: 1_000 }).stop(); // installs the probe
    const slots = globalThis as unknown as Record<symbol, () => unknown>;
    const original = slots[PROBE]!;
    slots[PROBE] = () => {
      probe.caught = true;
      return original();
    };
  });
  return probe;
}
