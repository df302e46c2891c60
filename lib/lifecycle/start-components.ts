import { Context } from '../context/context';
import { announce, hasOwnResource } from '../context/context-chain';
import { ComponentStartError, ResourceUnavailableError, StartupTimeoutError } from '../errors';
import type { Signal } from '../events/signal';
import type { Provision, Requirement } from '../graph/graph-types';
import type { ResolvedGraph } from '../graph/resolve-graph';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { serviceId } from '../resources/service-id';
import { labelContext } from '../context/context-label';
import { ComponentContext } from './component-context';
import type { ComponentRun } from './component-run';
import type { LifecycleEvent } from './lifecycle-event';
import type { Logger } from './logger';
import { renderPendingTree } from './pending-tree';
import { recordSuspensionSites, SuspensionSites } from './suspension-sites';
import { StartupLog } from './startup-log';

/** The first failure of a startup: what failed, where, in which phase. */
interface Failure {
  readonly run: ComponentRun | undefined;
  readonly phase: string;
  readonly error: unknown;
}

/**
 * Starts every component as soon as what it requires is published: a component waits for its
 * requirements, runs `prepare()`, starts its children concurrently, then runs `start()`. Each
 * component's own `prepare()` + `start()` time is bounded by its start timeout. The first failure
 * stops further progress; the caller then rolls back what began. Internal.
 */
export class Startup {
  readonly runs: ComponentRun[] = [];
  readonly root: ComponentRun;
  readonly #resolved: ResolvedGraph;
  readonly #events: Signal<LifecycleEvent>;
  readonly #log: StartupLog;
  readonly #began = performance.now();
  readonly #runOf = new Map<unknown, ComponentRun>();
  #failure: Failure | undefined;
  #watchdogFired = false;
  /** Called when a component has started, for those that prepare only after it (`stopAfter`). */
  readonly #onStarted = new Map<ComponentRun, (() => void)[]>();
  /** Settles when startup fails, so that phases still running are no longer waited for. */
  #failed!: () => void;
  readonly #failedPromise = new Promise<'failed'>((resolve) => (this.#failed = () => resolve('failed')));

  constructor(resolved: ResolvedGraph, appContext: Context, events: Signal<LifecycleEvent>, logger: Logger) {
    this.#resolved = resolved;
    this.#events = events;
    this.#log = new StartupLog(logger, () => this.now());
    const scopes = new Map<string, Context>([['', appContext]]);
    const nodes = [...resolved.graph.nodes.values()];
    resolved.records.forEach((record, i) => {
      const scope = scopes.get(resolved.enclosingScope.get(record)!)!;
      const inner = record.isolated ? new Context(scope) : undefined;
      if (inner) scopes.set(record.path, inner);
      // The listener runs only once the component publishes, after `run` is assigned.
      const owner = new ComponentContext(
        inner ?? scope,
        record.defaultName,
        (keys, name, description, isFactory) => this.#published(run, keys, name, description, isFactory),
        record.path,
      );
      const run: ComponentRun = {
        record,
        node: nodes[i]!,
        ctx: owner.ctx,
        owner,
        scope,
        inner,
        parent: record.parent ? this.#runOf.get(record.parent) : undefined,
        children: [],
        unmet: undefined,
        announcements: [],
        since: 0,
        spent: 0,
        prepareBegan: false,
        startBegan: false,
        timedOut: false,
        startsAfter: undefined,
        publishedInPrepare: undefined,
      };
      labelContext(run.ctx, record.path);
      run.parent?.children.push(run);
      this.#runOf.set(record, run);
      this.runs.push(run);
    });
    this.root = this.runs[0]!;
    this.#linkStopAfter();
    for (const run of this.runs) {
      if (run.inner) this.#forwardExports(run);
      for (const p of run.record.provides) {
        run.announcements.push(announce(run.scope, p.key, p.name, run.record.path));
      }
    }
  }

  get failure(): Failure | undefined {
    return this.#failure;
  }

  /** Milliseconds since startup began. */
  now(): number {
    return performance.now() - this.#began;
  }

  /** Starts the tree; resolves true when every component started, false after a failure. */
  async start(signal?: AbortSignal): Promise<boolean> {
    if (this.#events.listenerCount > 0) {
      for (const run of this.runs) this.#events.dispatch({ type: 'created', path: run.record.path, component: run.record.typeName });
    }
    let onAbort: (() => void) | undefined;
    const stopRecording = recordSuspensionSites((ctx) => {
      const owner = ComponentContext.of(ctx);
      return owner === undefined ? undefined : (owner.suspensionSites ?? null);
    });
    if (signal) {
      if (signal.aborted) this.#fail(undefined, 'abort', signal.reason);
      onAbort = () => this.#fail(undefined, 'abort', signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    try {
      return await this.#startRun(this.root);
    } finally {
      stopRecording();
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The error to throw for the failure, naming the component, the phase and the cause. */
  error(): ComponentStartError {
    const failure = this.#failure!;
    const path = failure.run?.record.path ?? this.root.record.path;
    const cause = failure.error;
    const why = cause instanceof Error ? cause.message : String(cause);
    const what =
      failure.phase === 'abort'
        ? `startup was aborted (${why})`
        : failure.phase === 'timeout'
          ? why
          : `component ${path}${failure.run ? ` (${failure.run.record.instance.constructor.name})` : ''} failed in ${failure.phase}${failure.phase === 'prepare' || failure.phase === 'start' ? '()' : ''}: ${why}`;
    return new ComponentStartError(what, failure.phase, path, { cause, rolledBack: true });
  }

  /** The pending-components tree, as in `StartupTimeoutError`. */
  pendingTree(marked?: ComponentRun): string {
    return renderPendingTree(this.root, this.now(), this.#resolved.providers, marked);
  }

  async #startRun(run: ComponentRun): Promise<boolean> {
    if (this.#failure) return false;
    const { record, node } = run;
    this.#enter(run, 'waiting');
    node.timings.waitStart = run.since;
    const waiting = this.#requirementsPublished(run);
    if (waiting !== undefined) {
      if (this.#events.listenerCount > 0) this.#events.dispatch({ type: 'waiting', path: record.path, for: [...run.unmet!] });
      try {
        await waiting;
      } catch (error) {
        // A provider's failure is the root cause, already recorded; only report anything else.
        if (!(error instanceof ResourceUnavailableError) || !this.#failure) this.#fail(run, 'wait', error);
        return false;
      }
    }
    if (this.#failure || (run.startsAfter !== undefined && !(await this.#othersStarted(run)))) return false;

    run.prepareBegan = true;
    this.#enter(run, 'preparing');
    node.timings.prepareStart = run.since;
    if (record.hasPrepare && !(await this.#phase(run, 'prepare'))) return false;
    node.timings.prepareEnd = this.now();

    if (run.children.length > 0) {
      this.#enter(run, 'starting children');
      const results = await Promise.all(run.children.map((child) => this.#startRun(child)));
      if (this.#failure || results.includes(false)) return false;
    }

    run.startBegan = true;
    run.owner.enterStartPhase();
    this.#enter(run, 'starting');
    node.timings.startStart = run.since;
    return (await this.#phase(run, 'start')) && node.state === 'started';
  }

  /**
   * Called as soon as start() has returned (not after the lifecycle's own awaits), so that the
   * `started` events come in the order the components finished: a provider's before those of the
   * consumers it let start.
   */
  #started(run: ComponentRun): void {
    const { record, node } = run;
    let missing: Provision[] | undefined;
    for (const p of record.provides) if (!hasOwnResource(run.scope, p.key, p.name)) (missing ??= []).push(p);
    if (missing !== undefined) {
      const list = missing.map((p) => `${describeKey(p.key)} '${p.name}'`).join(', ');
      this.#fail(
        run,
        'start',
        new Error(
          `start() returned without publishing ${list}, which it declares with @provides; publish it with ` +
            `ctx.addResource(value, { types: [...] }) in prepare() or start(), or remove the declaration`,
        ),
      );
      return;
    }
    node.timings.startEnd = this.now();
    this.#enter(run, 'started');
    if (this.#onStarted.size > 0) for (const resolve of this.#onStarted.get(run) ?? []) resolve();
    if (this.#events.listenerCount > 0) {
      this.#events.dispatch({ type: 'started', path: record.path, ms: node.timings.startEnd - (node.timings.prepareStart ?? 0) });
    }
  }

  /**
   * Settles when everything the component requires is there: each requirement whose provider has
   * not published yet (through its announcement), and the lookup of each injected property. One
   * promise per component, `undefined` when nothing is missing (the common case in a layered start).
   */
  #requirementsPublished(run: ComponentRun): Promise<void> | undefined {
    const { record } = run;
    const providers = this.#resolved.providers.get(record)!;
    let pending = 0;
    let promise: Promise<void> | undefined;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const arrived = (requirement: Requirement): void => {
      run.unmet!.delete(requirement);
      if (this.#log.debug) {
        const from = providers[record.requires.indexOf(requirement)];
        this.#log.waitEnds(run, requirement, from === undefined || from === 'context' ? undefined : from.path);
      }
      if (--pending === 0) resolve();
    };
    for (let i = 0; i < record.requires.length; i++) {
      const provider = providers[i];
      if (provider === undefined) continue;
      const requirement = record.requires[i]!;
      if (requirement.property === undefined && provider === 'context') continue;
      const from = provider === 'context' ? undefined : this.#runOf.get(provider);
      const announcement = from?.announcements[from.record.provides.findIndex((p) => p.key === requirement.key && p.name === requirement.name)];
      const waits = announcement !== undefined && !announcement.published;
      if (requirement.property === undefined && !waits) continue;
      promise ??= new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      pending++;
      (run.unmet ??= new Set()).add(requirement);
      if (waits) this.#log.waitBegins(run, requirement, from!);
      if (requirement.property === undefined) {
        announcement!.whenSettled((failure) => (failure === undefined ? arrived(requirement) : reject(failure)));
      } else {
        // The pending tree shows these waits from `unmet`, not as the component's own waits.
        run.owner.lookupRequirement(requirement.key, requirement.name, requirement.optional).then((value) => {
          (record.instance as unknown as Record<string, unknown>)[requirement.property!] = value;
          arrived(requirement);
        }, reject);
      }
    }
    return promise;
  }

  /** Runs prepare() or start() within what is left of the component's start timeout. */
  async #phase(run: ComponentRun, phase: 'prepare' | 'start'): Promise<boolean> {
    const began = this.now();
    let settled = false;
    let failed = false;
    let failure: unknown;
    const method = phase === 'prepare' ? run.record.instance.prepare : run.record.instance.start;
    const { owner } = run;
    owner.suspensionSites = new SuspensionSites();
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(run.ctx.run(() => method.call(run.record.instance, run.ctx)));
    } catch (error) {
      promise = Promise.reject(error);
    }
    const done = promise.then(
      () => {
        settled = true;
        owner.suspensionSites = undefined;
        if (phase === 'start' && !this.#failure) this.#started(run);
      },
      (error: unknown) => {
        settled = failed = true;
        owner.suspensionSites = undefined;
        failure = error;
      },
    );
    // Most phases settle within a microtask or two; only arm timers for those that do not.
    await null;
    await null;
    if (!settled) {
      const budget = run.record.startTimeout - run.spent;
      let timer: NodeJS.Timeout | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, Math.max(0, budget), 'timeout')));
      if (!this.#watchdogFired && budget > 20) {
        watchdog = setTimeout(() => this.#watchdog(run), budget / 2);
      }
      const outcome = await Promise.race([done, timedOut, this.#failedPromise]);
      clearTimeout(timer);
      clearTimeout(watchdog);
      if (outcome === 'failed' && !settled) {
        // Another component failed or startup was aborted: do not wait for this one to finish;
        // the rollback tears down what it registered so far.
        run.timedOut = true;
        owner.suspensionSites = undefined;
        return false;
      }
      if (outcome === 'timeout') {
        run.timedOut = true;
        const tree = this.pendingTree(run);
        for (const r of this.runs) r.owner.suspensionSites = undefined;
        this.#fail(
          run,
          'timeout',
          new StartupTimeoutError(
            `component ${run.record.path} did not finish ${phase}() within its start timeout of ` +
              `${run.record.startTimeout} ms. Components still starting:\n${tree}\n` +
              `Find what it waits for above; raise startTimeout (in @component or config) if it is just slow`,
            run.record.path,
            tree,
          ),
        );
        return false;
      }
    }
    run.spent += this.now() - began;
    if (failed) {
      this.#fail(run, phase, failure);
      return false;
    }
    return !this.#failure;
  }

  /** Records what a component published and in which phase (for the stop order and readyAt), and logs it. */
  #published(run: ComponentRun, keys: readonly ResourceKey<unknown>[], name: string, description: string | undefined, isFactory: boolean): void {
    if (!run.startBegan) for (const key of keys) (run.publishedInPrepare ??= new Set()).add(serviceId(key, name));
    this.#log.published(run, keys, name, description, isFactory);
    const { record } = run;
    if (record.provides.length > 0 && record.provides.every((p) => hasOwnResource(run.scope, p.key, p.name))) {
      run.node.timings.readyAt ??= this.now();
    }
  }

  /** `startsAfter` of each component that another one's `stopAfter` names. */
  #linkStopAfter(): void {
    let byPath: Map<string, ComponentRun> | undefined;
    for (const run of this.runs) {
      if (run.node.stopAfter === undefined) continue;
      for (const path of run.node.stopAfter) {
        byPath ??= new Map(this.runs.map((r) => [r.record.path, r]));
        (byPath.get(path)!.startsAfter ??= []).push(run);
      }
    }
  }

  /** Waits until the components whose `stopAfter` names `run` have started; false on a failure. */
  async #othersStarted(run: ComponentRun): Promise<boolean> {
    const pending = run.startsAfter!.filter((other) => other.node.state !== 'started');
    if (pending.length === 0) return true;
    const started = pending.map(
      (other) =>
        new Promise<void>((resolve) => {
          const list = this.#onStarted.get(other);
          if (list === undefined) this.#onStarted.set(other, [resolve]);
          else list.push(resolve);
        }),
    );
    await Promise.race([Promise.all(started), this.#failedPromise]);
    return !this.#failure;
  }

  #watchdog(run: ComponentRun): void {
    if (this.#watchdogFired || this.#failure) return;
    this.#watchdogFired = true;
    this.#log.slow(run, this.pendingTree());
  }

  #enter(run: ComponentRun, state: ComponentRun['node']['state']): void {
    run.node.state = state;
    run.since = this.now();
    if ((state === 'preparing' || state === 'starting') && this.#events.listenerCount > 0) {
      this.#events.dispatch({ type: state, path: run.record.path });
    }
  }

  #fail(run: ComponentRun | undefined, phase: string, error: unknown): void {
    if (this.#failure) return;
    this.#failure = { run, phase, error };
    this.#failed();
    if (run) run.node.state = 'failed';
    this.#events.dispatch({ type: 'failed', path: run?.record.path ?? this.root.record.path, phase, error });
    for (const { announcements } of this.runs) for (const announcement of announcements) announcement.fail(error);
  }

  /** An isolated component's @provides, published inside its scope, are published outside too. */
  #forwardExports(run: ComponentRun): void {
    const inner = run.inner!;
    const exported = run.record.provides;
    inner.resourceAdded.connect((event) => {
      for (const key of event.keys) {
        if (!exported.some((p) => p.key === key && p.name === event.name)) continue;
        if (hasOwnResource(run.scope, key, event.name)) continue;
        if (event.isFactory) {
          run.scope.addResourceFactory(() => inner.getResource(key, event.name), { types: [key], name: event.name });
        } else {
          run.scope.addResource(inner.getResourceNowait(key, event.name), { types: [key], name: event.name });
        }
      }
    });
  }
}
