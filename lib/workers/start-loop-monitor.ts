import { type Logger } from '../index';
import type { LoopBlockedEvent } from './loop-blocked-event';
import { LoopMonitor, type LoopMonitorOptions } from './loop-monitor';

/** Options of {@link startLoopMonitor}. */
export interface StartLoopMonitorOptions extends Omit<LoopMonitorOptions, 'threshold'> {
  /** Milliseconds; 0 turns the detector off. */
  readonly threshold: number;
  readonly logger: Logger;
}

/** The warning logged for one block: one line, then the stack. */
export function formatLoopBlocked(event: LoopBlockedEvent): string {
  const top = event.frames[0];
  const where = top ? ` at ${top.functionName} (${top.file}:${top.line}:${top.column})` : '';
  const head =
    `event loop blocked for ${event.ms} ms (threshold ${event.threshold} ms) in ` +
    `${event.component ?? 'code outside any named component'}${where}`;
  return event.stack ? `${head}\n${event.stack}` : `${head} (no stack: ${event.missed})`;
}

/**
 * What the runner calls: starts a {@link LoopMonitor} that logs every block as a warning and
 * returns the function that stops it. With `threshold: 0` it starts nothing.
 *
 * @example
 * const stopMonitor = startLoopMonitor({ threshold: settings.blockedLoopThreshold, logger });
 * try { ... } finally { await stopMonitor(); }
 */
export function startLoopMonitor(options: StartLoopMonitorOptions): () => Promise<void> {
  const { threshold, logger, ...rest } = options;
  if (threshold === 0) return async () => undefined;
  const monitor = new LoopMonitor({ ...rest, threshold });
  monitor.blocked.connect((event) =>
    logger.warn(
      { ms: event.ms, threshold: event.threshold, component: event.component, stack: event.stack },
      formatLoopBlocked(event),
    ),
  );
  return () => monitor.stop();
}
