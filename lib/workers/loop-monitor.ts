import { Context, InvalidResourceError, Signal, describeContext } from '../index';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { LoopBlockedEvent, StackFrame } from './loop-blocked-event';
import { BEAT, CAPTURING, monitorSource, type MonitorMessage } from './loop-monitor-thread';

/** Options of a {@link LoopMonitor}. */
export interface LoopMonitorOptions {
  /** Report a block longer than this many milliseconds (default 100). */
  readonly threshold?: number;
  /**
   * Heartbeat period in ms (default: half the threshold, 5 to 500). The monitor thread pauses a
   * block to capture its stack at most `threshold + interval` ms after it began, so every block
   * longer than that is captured; a shorter period catches shorter ones, for more wake-ups.
   */
  readonly interval?: number;
  /** Capture the JavaScript stack of a block through the inspector (default true). */
  readonly captureStack?: boolean;
}

const PROBE = Symbol.for('asphalt-ts.loop-probe');
const PROBE_EXPRESSION = `globalThis[Symbol.for('asphalt-ts.loop-probe')]?.()`;

/** Evaluated on the paused main thread: the running context's label and the stack. */
function probe(): { label?: string; stack?: string } {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error('probe').stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = stack.split('\n');
  // Drop the probe's own frames: everything up to the debugger's `eval (eval at <paused frame>)`.
  const evalAt = lines.findIndex((line) => /^\s+at eval \(eval at /.test(line));
  return { label: describeContext(Context.tryCurrent()), stack: lines.slice(evalAt >= 0 ? evalAt + 1 : 2).join('\n') };
}

/** `at fn (file:line:col)` lines as frames, leaving out Node's own (`node:internal/...`). */
function parseStack(stack: string | undefined): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack?.split('\n') ?? []) {
    const match = /^\s+at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match && !match[2].startsWith('node:')) frames.push({ functionName: match[1] ?? '<anonymous>', file: match[2], line: Number(match[3]), column: Number(match[4]) });
  }
  return frames;
}

/**
 * Watches the event loop from a separate thread and reports, on `blocked`, every stretch longer
 * than `threshold` ms during which the loop could not run: how long, which component (or labelled
 * context) was running, and the JavaScript stack where it was blocked, captured while it was still
 * blocked. The runner starts one by default (`blockedLoopThreshold`).
 *
 * @example
 * const monitor = new LoopMonitor({ threshold: 100 });
 * monitor.blocked.connect((e) => console.warn(`blocked ${e.ms} ms in ${e.component}`, e.stack));
 * await monitor.stop();
 */
export class LoopMonitor implements AsyncDisposable {
  /** One event per block longer than the threshold, dispatched once the loop is free again. */
  readonly blocked = new Signal<LoopBlockedEvent>({ name: 'LoopMonitor.blocked' });
  readonly threshold: number;
  readonly interval: number;
  readonly #state = new Int32Array(new SharedArrayBuffer(8));
  readonly #worker: Worker | undefined;
  readonly #port: MessagePort | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #captures = new Map<number, MonitorMessage>();
  #waiting: { beat: number; ms: number; timer: NodeJS.Timeout } | undefined;
  #elu: EventLoopUtilization = performance.eventLoopUtilization();
  #stopped: Promise<void> | undefined;

  constructor(options: LoopMonitorOptions = {}) {
    this.threshold = options.threshold ?? 100;
    if (!Number.isInteger(this.threshold) || this.threshold < 1) {
      throw new InvalidResourceError(`LoopMonitor: threshold must be a whole number of ms >= 1, got ${options.threshold}`);
    }
    this.interval = options.interval ?? Math.min(500, Math.max(5, Math.floor(this.threshold / 2)));
    if (options.captureStack !== false) {
      (globalThis as Record<symbol, unknown>)[PROBE] ??= probe;
      const { port1, port2 } = new MessageChannel();
      this.#port = port1;
      this.#worker = new Worker(monitorSource({ threshold: this.threshold, interval: this.interval, probe: PROBE_EXPRESSION }), {
        eval: true,
        workerData: { buffer: this.#state.buffer, port: port2 },
        transferList: [port2],
        name: 'asphalt-ts loop monitor',
      });
      port1.on('message', (message: MonitorMessage) => this.#onCapture(message));
      port1.unref();
      this.#worker.on('error', (error) => process.emitWarning(error));
      this.#worker.unref();
    }
    this.#timer = setInterval(() => this.#beat(), this.interval);
    this.#timer.unref();
  }

  /** Stops watching and ends the monitor thread. */
  stop(): Promise<void> {
    return (this.#stopped ??= (async () => {
      clearInterval(this.#timer);
      if (this.#waiting) clearTimeout(this.#waiting.timer);
      this.#port?.postMessage('stop');
      this.#port?.close();
      await this.#worker?.terminate();
    })());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #beat(): void {
    const beat = Atomics.add(this.#state, BEAT, 1);
    Atomics.notify(this.#state, BEAT);
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, this.#elu).active;
    this.#elu = now;
    if (busy <= this.threshold) return;
    this.#drain();
    const capture = this.#captures.get(beat);
    if (capture !== undefined || this.#worker === undefined || Atomics.load(this.#state, CAPTURING) === 0) {
      this.#report(beat, busy);
    } else {
      // The monitor thread is still paused-and-probing this block: its message is on the way.
      if (this.#waiting) this.#report(this.#waiting.beat, this.#waiting.ms);
      const timer = setTimeout(() => this.#report(beat, busy), 1_000);
      timer.unref();
      this.#waiting = { beat, ms: busy, timer };
    }
  }

  #drain(): void {
    if (this.#port === undefined) return;
    for (let entry = receiveMessageOnPort(this.#port); entry; entry = receiveMessageOnPort(this.#port)) {
      this.#store(entry.message as MonitorMessage);
    }
  }

  #store(message: MonitorMessage): void {
    this.#captures.set(message.beat, message);
    if (this.#captures.size > 16) this.#captures.delete(this.#captures.keys().next().value!);
  }

  #onCapture(message: MonitorMessage): void {
    this.#store(message);
    if (this.#waiting?.beat === message.beat) this.#report(message.beat, this.#waiting.ms);
  }

  #report(beat: number, ms: number): void {
    if (this.#waiting?.beat === beat) {
      clearTimeout(this.#waiting.timer);
      this.#waiting = undefined;
    }
    const capture = this.#captures.get(beat);
    this.#captures.delete(beat);
    const captured = capture?.type === 'captured' ? capture : undefined;
    this.blocked.dispatch({
      ms: Math.round(ms),
      threshold: this.threshold,
      component: captured?.label,
      stack: captured?.stack,
      frames: parseStack(captured?.stack),
      captureMs: captured?.captureMs,
      missed: captured === undefined ? (capture?.type === 'missed' ? capture.reason : 'the block ended before the monitor sampled it') : undefined,
    });
  }
}
