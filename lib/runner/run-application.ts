import { CLIApplicationComponent, type ComponentType } from '../components/component';
import { labelContext } from '../context/context-label';
import { ComponentStartError, GraphError } from '../errors';
import { Signal } from '../events/signal';
import type { Application } from '../lifecycle/application';
import { bootstrap, type BootstrapOptions } from '../lifecycle/bootstrap';
import type { LifecycleEvent } from '../lifecycle/lifecycle-event';
import type { Logger } from '../lifecycle/logger';
import type { LogFormat, LogLevel } from './config/runner-settings';
import { createLogger } from './create-logger';

/** Options of {@link runApplication}. */
export interface RunApplicationOptions extends Omit<BootstrapOptions, 'signal' | 'events'> {
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  /** Milliseconds a graceful stop may take after SIGINT/SIGTERM before the process is forced out. */
  shutdownDeadline?: number;
  /**
   * Warn when the event loop is blocked longer than this (ms); 0 turns the detector off. Default
   * 100. The detector starts 250 ms into the run (its thread costs ~30 ms to start).
   */
  blockedLoopThreshold?: number;
  /** Handle SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
}

const signalCodes = { SIGINT: 130, SIGTERM: 143 } as const;
const MONITOR_DELAY_MS = 250;
type HandledSignal = keyof typeof signalCodes;

/**
 * Starts the application, runs it until it ends (a `CLIApplicationComponent`'s `run()` returns)
 * or until SIGINT/SIGTERM, stops it, and resolves with the exit code: 0 after a clean run and
 * stop, 1 for a startup failure or a failure in `run()` or stop, `run()`'s own code (0-127). A
 * signal during startup aborts it and rolls back what had started: 0 when that rollback is clean
 * (as for a signal once started), 1 when a component failed to stop. A second signal, or the
 * shutdown deadline passing, forces the process out (130 for SIGINT, 143 for SIGTERM), naming the
 * components that had not stopped.
 *
 * @example
 * process.exitCode = await runApplication(App, config, { logLevel: 'debug' });
 */
export async function runApplication(root: ComponentType, config?: unknown, options: RunApplicationOptions = {}): Promise<number> {
  const logger: Logger = options.logger ?? createLogger(options.logLevel, options.logFormat);
  const deadline = options.shutdownDeadline ?? 15_000;
  // The detector's monitor thread costs ~30 ms to start: start it only once the process has run
  // for a quarter second, so short commands do not pay for it.
  let stopMonitor: (() => Promise<void>) | undefined;
  const monitorDelay = setTimeout(() => {
    // Loaded here, not at the top: `asphalt-ts/workers` is not needed by a command that ends sooner.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startLoopMonitor } = require('../workers/index') as typeof import('../workers/index');
    stopMonitor = startLoopMonitor({ threshold: options.blockedLoopThreshold ?? 100, logger });
  }, MONITOR_DELAY_MS);
  monitorDelay.unref();
  // bootstrap logs a line per component started and stopped (info), in the order they happen.
  const events = new Signal<LifecycleEvent>({ name: 'lifecycle' });
  const startup = new AbortController();
  let app: Application | undefined;
  let received: HandledSignal | undefined;
  let stopRequested!: () => void;
  const stopRequest = new Promise<void>((resolve) => (stopRequested = resolve));

  const force = (why: string, code: number): void => {
    const pending = app
      ? [...app.graph.nodes.values()].filter((n) => n.state !== 'stopped').map((n) => `${n.path} (${n.state})`)
      : [];
    logger.error(
      { pending },
      `${why}; forcing exit with code ${code}.` + (pending.length ? ` Components not stopped: ${pending.join(', ')}` : ''),
    );
    process.exit(code);
  };
  const onSignal = (signal: HandledSignal): void => {
    if (received !== undefined) return force(`received ${signal} again while stopping`, signalCodes[signal]);
    received = signal;
    logger.info({ signal }, `received ${signal}: stopping (deadline ${deadline} ms; send it again to force)`);
    setTimeout(() => force(`the shutdown deadline of ${deadline} ms passed`, signalCodes[signal]), deadline).unref();
    startup.abort(new Error(`received ${signal}`));
    stopRequested();
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  if (options.handleSignals !== false) for (const [s, h] of Object.entries(handlers)) process.on(s, h);

  try {
    try {
      app = await bootstrap(root, config, { ...options, logger, events, signal: startup.signal });
    } catch (error) {
      if (received !== undefined && error instanceof ComponentStartError && error.phase === 'abort') {
        // Like a stop after a signal once started: 0 when everything stopped cleanly, 1 when not.
        if (error.rollbackError === undefined) {
          logger.info({}, `startup aborted by ${received}; everything that had started was stopped`);
          return 0;
        }
        logger.error(
          { signal: received },
          `startup aborted by ${received}, but stopping what had started failed (logged above); exiting with 1`,
        );
        return 1;
      }
      logger.error(startupFailureFields(error), error instanceof Error ? error.message : String(error));
      return 1;
    }
    const taskFailure = new Promise<unknown>((resolve) => app!.context.taskFailed.connect((event) => resolve(event.error)));
    let code = 0;
    if (app.root instanceof CLIApplicationComponent) {
      code = await runCli(app, logger, Promise.race([stopRequest, taskFailure]));
    } else {
      // Nothing else may hold the event loop open (a service task waiting for its abort signal
      // does not): keep the process alive until a signal or a task failure ends the run.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const failure = await Promise.race([stopRequest.then(() => undefined), taskFailure]).finally(() => clearInterval(keepAlive));
      if (failure !== undefined) {
        logger.error({ err: failure }, `stopping: ${failure instanceof Error ? failure.message : String(failure)}`);
        code = 1;
      }
    }
    try {
      await app.stop();
      logger.info({}, 'stopped');
    } catch (error) {
      logger.error({ err: error }, error instanceof Error ? error.message : String(error));
      code = code || 1;
    }
    return code;
  } finally {
    if (options.handleSignals !== false) for (const [s, h] of Object.entries(handlers)) process.off(s, h);
    clearTimeout(monitorDelay);
    await stopMonitor?.();
  }
}

async function runCli(app: Application, logger: Logger, interrupted: Promise<unknown>): Promise<number> {
  const root = app.root as CLIApplicationComponent;
  // run() gets a child of the application's context, named for the blocked-loop detector and
  // closed when run() ends.
  const ctx = app.context.child();
  labelContext(ctx, `${app.graph.root.path} run()`);
  let result: unknown;
  try {
    const outcome = await Promise.race([
      ctx.run(() => root.run(ctx)).then((value) => ({ value })),
      interrupted.then((failure) => ({ interrupted: true as const, failure })),
    ]);
    if ('interrupted' in outcome) {
      if (outcome.failure === undefined) return 0;
      logger.error({ err: outcome.failure }, `stopping: ${outcome.failure instanceof Error ? outcome.failure.message : String(outcome.failure)}`);
      return 1;
    }
    result = outcome.value;
  } catch (error) {
    logger.error({ err: error }, `run() failed: ${String(error)}`);
    return 1;
  } finally {
    await ctx.close().catch((error: unknown) => logger.error({ err: error }, `closing run()'s context failed: ${String(error)}`));
  }
  if (result === undefined) return 0;
  if (typeof result === 'number' && Number.isInteger(result) && result >= 0 && result <= 127) return result;
  const path = app.graph.root.path;
  logger.error(
    { path, result: describeResult(result) },
    `${path} (${root.constructor.name}): run() returned ${describeResult(result)}, but it must return an exit code: ` +
      `an integer from 0 to 127 (Promise<number | void>; nothing means 0); exiting with 1`,
  );
  return 1;
}

/** `3.5 (a number)`, `"0" (a string)`, `{...} (an object)`: a value and its type, short. */
function describeResult(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  if (text.length > 60) text = `${text.slice(0, 59)}…`;
  return `${text} (${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`})`;
}

/**
 * The log fields of a startup failure. A failure found before anything started (a `GraphError`
 * cause) is its message, already complete: the fields carry the codes, not the error again (pino's
 * serializer would append the cause's message, then every problem with its stack).
 */
function startupFailureFields(error: unknown): Record<string, unknown> {
  if (error instanceof ComponentStartError && error.cause instanceof GraphError) {
    const { problems } = error.cause;
    return {
      code: error.code,
      phase: error.phase,
      path: error.path,
      problems: problems.length === 1 ? [problems[0]!.code] : problems.map((p) => ({ code: p.code, message: p.message })),
    };
  }
  return { err: error };
}
