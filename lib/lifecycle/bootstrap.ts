import type { ComponentType } from '../components/component';
import { Context } from '../context/context';
import { ComponentStartError, ContextAbortedError, GraphError, TeardownError } from '../errors';
import { Signal } from '../events/signal';
import { problemComponent, resolveGraph, type ResolveOptions } from '../graph/resolve-graph';
import { Application } from './application';
import { ApplicationState } from './application-state';
import type { LifecycleEvent } from './lifecycle-event';
import { Logger, stderrLogger } from './logger';
import { openChildren } from '../context/internal';
import { isVisible } from '../context/context-chain';
import { DEFAULT_NAME } from '../resources/resource-name';
import { Startup } from './start-components';
import { stopComponents } from './stop-components';
import { phaseGraph } from '../graph/phase-graph';
import { componentLoggerFactory } from './component-logger';

/** Options of {@link bootstrap}. */
export interface BootstrapOptions extends ResolveOptions {
  /** Aborting it during startup stops what has started and rejects with a ComponentStartError. */
  signal?: AbortSignal;
  /** Where progress, the slow-startup watchdog and the summary go (pino-compatible). */
  logger?: Logger;
  /** Receives lifecycle events during startup and stop; also `app.events`. */
  events?: Signal<LifecycleEvent>;
}

/**
 * Resolves the component tree, starts it and returns the running {@link Application}. On any
 * failure everything that had started is stopped again (in reverse order) and a
 * `ComponentStartError` naming the component and the phase is thrown.
 *
 * @example
 * const app = await bootstrap(AppComponent, { components: { db: { port: 5432 } } });
 * await app.stop();
 */
export async function bootstrap(root: ComponentType, config?: unknown, options: BootstrapOptions = {}): Promise<Application> {
  const logger = options.logger ?? stderrLogger;
  const events = options.events ?? new Signal<LifecycleEvent>({ name: 'lifecycle' });
  const context = new Context(options.context);
  if (!isVisible(context, Logger, DEFAULT_NAME)) {
    // A factory, so that each component gets a child logger tagged with its path; the explicit
    // teardown keeps a logger with Symbol.dispose from being disposed with the context that asked.
    context.addResourceFactory(componentLoggerFactory(logger), {
      types: [Logger],
      description: 'the application logger (tagged with the component path in a component)',
      teardown: () => undefined,
    });
  }
  const state = new ApplicationState();
  context.addResource(state, { types: [ApplicationState], description: 'the application phase' });
  let resolved;
  try {
    resolved = resolveGraph(root, config, { ...options, context });
  } catch (error) {
    await context.close(error);
    if (!(error instanceof GraphError)) throw error;
    const first = error.problems[0];
    const path = (first && problemComponent(first)) ?? options.rootAlias ?? 'root';
    const phase = first?.code === 'ASPHALT_CONFIG' ? 'config' : first?.code === 'ASPHALT_COMPONENT_CONSTRUCTION' ? 'construct' : 'resolve';
    throw new ComponentStartError(error.message, phase, path, { cause: error });
  }
  const disconnectLog =
    logger.isLevelEnabled?.('info') === false ? () => undefined : events.connect((event) => logEvent(logger, event, logger.isLevelEnabled?.('debug') !== false));
  const startup = new Startup(resolved, context, events, logger);
  const stop = async (error?: unknown): Promise<void> => {
    state.markStopping();
    const failures: unknown[] = await closeForeignContexts(context, startup, error);
    failures.push(...(await stopComponents(startup.runs, resolved.graph[phaseGraph], error, events, () => startup.now())));
    try {
      await context.close(error);
    } catch (failure) {
      failures.push(failure);
    }
    disconnectLog();
    if (failures.length > 0) {
      const list = failures.map((f, i) => `  ${i + 1}. ${f instanceof Error ? f.message : String(f)}`).join('\n');
      throw new TeardownError(failures, `${failures.length} component(s) failed to stop cleanly:\n${list}`);
    }
  };

  logger.info(
    { components: startup.runs.length, root: resolved.root.path },
    `starting the application: ${startup.runs.length} component(s) under ${resolved.root.path} (${resolved.root.instance.constructor.name})`,
  );
  if (!(await startup.start(options.signal))) {
    const error = startup.error();
    try {
      await stop(error);
    } catch (failure) {
      error.rollbackFailed(failure);
      logger.error({ err: failure }, `rolling back the failed startup also failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    throw error;
  }
  const ms = startup.now();
  state.markStarted();
  const critical = resolved.graph.criticalPath();
  events.dispatch({ type: 'ready', components: startup.runs.length, ms, criticalPath: critical.path });
  logger.info(
    { components: startup.runs.length, ms: Math.round(ms), criticalPath: critical.path },
    `started ${startup.runs.length} component(s) in ${ms.toFixed(1)} ms; critical path: ${critical.path.join(' -> ')}`,
  );
  return new Application(context, resolved.root.instance, resolved.graph, events, stop);
}

/**
 * Closes the contexts that code opened under the application's context (a test's lookups, a
 * request begun from outside a component) before the components stop: their work cannot finish
 * once its providers are gone, so they close with a `ContextAbortedError` (a transaction rolls back),
 * and a provider's stop no longer waits on a resource they still hold.
 */
async function closeForeignContexts(context: Context, startup: Startup, error: unknown): Promise<unknown[]> {
  const own = new Set<Context>();
  for (const run of startup.runs) {
    own.add(run.ctx);
    if (run.inner) own.add(run.inner);
  }
  const foreign = context[openChildren]().filter((child) => !own.has(child));
  if (foreign.length === 0) return [];
  const why = new ContextAbortedError('the application is stopping', 'application-stopping', { cause: error });
  const results = await Promise.allSettled(foreign.map((child) => child.close(why)));
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
}

/** Logs a line per component started and stopped (info), and the other steps when `debug`. */
function logEvent(logger: Logger, event: LifecycleEvent, debug: boolean): void {
  switch (event.type) {
    case 'created':
      if (debug) logger.debug({ path: event.path }, `${event.path} created (${event.component})`);
      break;
    case 'preparing':
    case 'starting':
      if (debug) logger.debug({ path: event.path }, `${event.path}: calling ${event.type === 'preparing' ? 'prepare' : 'start'}()`);
      break;
    case 'started':
      logger.info({ path: event.path, ms: Math.round(event.ms) }, `${event.path} started in ${event.ms.toFixed(1)} ms`);
      break;
    case 'stopped':
      logger.info({ path: event.path, ms: Math.round(event.ms) }, `${event.path} stopped in ${event.ms.toFixed(1)} ms`);
      break;
    case 'failed':
      if (debug) logger.debug({ path: event.path, phase: event.phase }, `${event.path} failed in ${event.phase}: ${event.error instanceof Error ? event.error.message : String(event.error)}`);
      break;
    default:
      break;
  }
}

