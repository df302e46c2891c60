/** Slots of the monitor's shared Int32Array. */
export const BEAT = 0;
export const CAPTURING = 1;

/** What the monitor thread posts to the main thread. */
export type MonitorMessage =
  | { readonly type: 'captured'; readonly beat: number; readonly label?: string; readonly stack: string; readonly captureMs: number }
  | { readonly type: 'missed'; readonly beat: number; readonly reason: string };

interface MonitorDeps {
  readonly inspector: () => typeof import('node:inspector');
  readonly port: import('node:worker_threads').MessagePort;
  readonly state: Int32Array;
  readonly threshold: number;
  readonly interval: number;
  readonly probe: string;
}

/**
 * The monitor thread. The main thread bumps `state[BEAT]` every `interval` ms from a timer and
 * notifies; this thread waits on that slot (`Atomics.waitAsync`, so it wakes once per beat and
 * never polls). When no beat comes within `threshold + interval` ms of the last one, the loop has
 * been blocked for at least `threshold` ms, and this thread pauses it through the inspector
 * (`Session.connectToMainThread()`, `Debugger.pause`), evaluates the probe in the paused frames
 * (the JavaScript stack and the context's label), posts them, and resumes. A block is therefore
 * caught at most `threshold + interval` ms after it began. It runs as source text in an eval
 * worker, so it is self-contained.
 */
function monitorMain(deps: MonitorDeps): void {
  const { port, state, threshold, interval, probe } = deps;
  let stopped = false;
  let unavailable: string | undefined;

  port.on('message', (message: unknown) => {
    if (message === 'stop') {
      stopped = true;
      Atomics.notify(state, 0);
      port.close();
    }
  });

  /** Resolves when `state[BEAT]` moves off `beat`, or after `timeout` ms: true if it moved. */
  async function beatAfter(beat: number, timeout: number): Promise<boolean> {
    // `Atomics.waitAsync` is in Node >= 16 but typed only by the ES2024 lib, which also declares
    // APIs Node 20 lacks; so it is typed here.
    const atomics = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: unknown } };
    const wait = atomics.waitAsync(state, 0, beat, timeout);
    if (wait.async) await wait.value;
    return Atomics.load(state, 0) !== beat;
  }

  void (async () => {
    let beat = Atomics.load(state, 0);
    while (!stopped) {
      if (!(await beatAfter(beat, threshold + interval)) && !stopped) {
        await capture(beat);
        // One capture per block: wait for the loop to beat again (checking now and then for stop).
        while (!stopped && !(await beatAfter(beat, 1_000)));
      }
      beat = Atomics.load(state, 0);
    }
  })();

  async function capture(beat: number): Promise<void> {
    if (unavailable !== undefined) {
      port.postMessage({ type: 'missed', beat, reason: unavailable });
      return;
    }
    Atomics.store(state, 1, 1);
    let session: import('node:inspector').Session | undefined;
    try {
      const inspector = deps.inspector();
      session = new inspector.Session();
      session.connectToMainThread();
      const live = session;
      const post = (method: string, params: object = {}): Promise<Record<string, unknown>> =>
        new Promise((resolve, reject) =>
          live.post(method, params, (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>))),
        );
      const paused = new Promise<{ callFrames: { callFrameId: string; functionName: string; url: string; location: { lineNumber: number; columnNumber: number } }[] }>(
        (resolve) => live.once('Debugger.paused', (message) => resolve(message.params as never)),
      );
      const began = performance.now();
      await post('Debugger.enable');
      await post('Debugger.pause');
      const { callFrames } = await paused;
      if (Atomics.load(state, 0) !== beat) {
        port.postMessage({ type: 'missed', beat, reason: 'the loop was free again before it could be paused' });
      } else {
        // The probe is evaluated in the scope of the outermost frame where it can be found: Node's
        // internal frames have no `Symbol`, and under a test runner user code may run in its own
        // realm. Outermost, because evaluating in a frame writes the frame's locals back, and in the
        // innermost one that can be a derived constructor in the middle of its super() call, which
        // then threw "Super constructor may only be called once" (bullmq's msgpackr, loaded on a
        // CPU-starved machine). The probe's stack holds every frame whichever one it runs in.
        let value: { label?: string; stack?: string } | undefined;
        for (const frame of callFrames.slice(-40).reverse()) {
          const evaluated = await post('Debugger.evaluateOnCallFrame', {
            callFrameId: frame.callFrameId,
            expression: probe,
            returnByValue: true,
            silent: true,
          }).catch(() => undefined);
          const result = evaluated?.result as { value?: unknown } | undefined;
          if (evaluated?.exceptionDetails === undefined && typeof result?.value === 'object' && result.value !== null) {
            value = result.value as { label?: string; stack?: string };
            break;
          }
        }
        const stack =
          value?.stack ??
          callFrames
            .map((f) => `    at ${f.functionName || '<anonymous>'} (${f.url || 'unknown'}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1})`)
            .join('\n');
        port.postMessage({ type: 'captured', beat, label: value?.label, stack, captureMs: performance.now() - began });
      }
      Atomics.store(state, 1, 0);
      await post('Debugger.resume');
      await post('Debugger.disable');
    } catch (error) {
      const reason = `the inspector is not usable: ${(error as Error).message}`;
      if ((error as { code?: string }).code === 'ERR_INSPECTOR_NOT_AVAILABLE') unavailable = reason;
      port.postMessage({ type: 'missed', beat, reason });
    } finally {
      Atomics.store(state, 1, 0);
      session?.disconnect();
    }
  }
}

/** Internal: the source of the monitor thread, for `new Worker(source, { eval: true })`. */
export function monitorSource(options: { threshold: number; interval: number; probe: string }): string {
  return [
    "'use strict';",
    "const { workerData } = require('node:worker_threads');",
    `(${monitorMain.toString()})({`,
    "  inspector: () => require('node:inspector'), port: workerData.port, state: new Int32Array(workerData.buffer),",
    `  threshold: ${options.threshold}, interval: ${options.interval}, probe: ${JSON.stringify(options.probe)},`,
    '});',
  ].join('\n');
}
