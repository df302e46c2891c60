/** One frame of a {@link LoopBlockedEvent}'s stack. */
export interface StackFrame {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Dispatched on `LoopMonitor.blocked` when the event loop was blocked longer than the threshold. */
export interface LoopBlockedEvent {
  /** Milliseconds the loop was busy without a break (its busy time between two heartbeats). */
  readonly ms: number;
  readonly threshold: number;
  /** Path of the component (or label of the context, see `labelContext`) whose code was blocking. */
  readonly component: string | undefined;
  /** The JavaScript stack where the loop was blocked, captured while it was, innermost first. */
  readonly stack: string | undefined;
  readonly frames: readonly StackFrame[];
  /**
   * Milliseconds from the monitor's first inspector call to the end of the probe: the blocked main
   * thread serves those calls in between its own work, so they lengthen the block by about this much.
   */
  readonly captureMs: number | undefined;
  /** Why there is no stack: the block ended before it could be sampled, or the inspector is unavailable. */
  readonly missed: string | undefined;
}
