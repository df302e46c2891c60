import { AsphaltError } from '../errors';
import { serviceId } from '../resources/service-id';
import type { PhaseGraph } from '../graph/phase-graph';
import type { Signal } from '../events/signal';
import { abandonClose, closeIfIdle } from '../context/internal';
import type { AbandonedTeardown } from '../context/teardown-stack';
import type { ComponentRun } from './component-run';
import type { LifecycleEvent } from './lifecycle-event';
import { within } from './within';

/** A component's teardown failed or did not finish within its stop timeout. */
export class ComponentStopError extends AsphaltError {
  static override readonly code = 'ASPHALT_COMPONENT_STOP';
  constructor(
    message: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface StopStep {
  readonly run: ComponentRun;
  readonly phase: 'start' | 'prepare';
  readonly dependents: StopStep[];
  waitingFor: number;
}

/**
 * Stops the components that began starting, mirroring the start: a component's start-phase
 * teardown runs before its children stop and its prepare-phase teardown after them, and a
 * component stops only after every component that requires something from it, and a component
 * with `stopAfter` only once those it names have stopped (every edge of the phase graph, mirrored).
 * Independent steps run concurrently; each is bounded by the component's stop timeout. Returns every failure.
 * Internal.
 */
export async function stopComponents(
  runs: readonly ComponentRun[],
  phases: PhaseGraph,
  error: unknown,
  events: Signal<LifecycleEvent>,
  now: () => number,
): Promise<ComponentStopError[]> {
  const steps: { start?: StopStep; prepare?: StopStep }[] = [];
  const all: StopStep[] = [];
  const step = (run: ComponentRun, phase: 'start' | 'prepare'): StopStep => {
    const s: StopStep = { run, phase, dependents: [], waitingFor: 0 };
    all.push(s);
    return s;
  };
  for (const run of runs) {
    steps.push(run.prepareBegan ? { start: run.startBegan ? step(run, 'start') : undefined, prepare: step(run, 'prepare') } : {});
  }
  /** `later` waits until `first` is done. */
  const order = (first: StopStep | undefined, later: StopStep | undefined): void => {
    if (!first || !later || first === later) return;
    first.dependents.push(later);
    later.waitingFor++;
  };
  // The mirror of the start graph: what had to be done first during start is torn down last.
  // A requirement orders by the phase that actually published it (the graph's assumption when
  // nothing was published), so the stop graph is acyclic whatever the components did.
  phases.forEachEdge((from, fromPhase, to, toPhase, kind, edge) => {
    const first = steps[to]!;
    const later = steps[from]!;
    let laterPhase = fromPhase;
    if (kind === 'requires' && edge !== undefined) {
      const provider = runs[from]!;
      if (isAncestor(provider, runs[to]!)) return; // ordered by the parent's own prepare step
      const published = provider.publishedInPrepare?.has(serviceId(edge.resource.key, edge.resource.name));
      if (published !== undefined) laterPhase = published ? 'prepare' : 'start';
    }
    order(toPhase === 'start' ? first.start : first.prepare, laterPhase === 'start' ? (later.start ?? later.prepare) : later.prepare);
  });

  const failures: ComponentStopError[] = [];
  let remaining = all.length;
  if (remaining === 0) return failures;
  return new Promise((resolve) => {
    // A worklist, not recursion: a chain of 10,000 steps that finish at once must not nest calls.
    const ready = all.filter((s) => s.waitingFor === 0);
    const finish = (s: StopStep): void => {
      for (const next of s.dependents) if (--next.waitingFor === 0) ready.push(next);
      remaining--;
    };
    const pump = (): void => {
      for (let s = ready.pop(); s; s = ready.pop()) {
        const step = s;
        if (finishedAtOnce(step, error, events, now)) {
          finish(step);
          continue;
        }
        void runStep(step, error, failures, events, now).then(() => {
          finish(step);
          pump();
        });
      }
      if (remaining === 0) resolve(failures);
    };
    pump();
  });
}

/** Completes a step with nothing to tear down synchronously; false when it has work to await. */
function finishedAtOnce(s: StopStep, error: unknown, events: Signal<LifecycleEvent>, now: () => number): boolean {
  const { run, phase } = s;
  if (phase === 'start') {
    if (run.owner.hasStartTeardowns) return false;
  } else if (!run.ctx[closeIfIdle](error) || (run.inner !== undefined && !run.inner[closeIfIdle](error))) {
    return false;
  }
  const at = now();
  if (phase === 'start' || !run.startBegan) {
    run.node.state = 'stopping';
    run.node.timings.stopStart = at;
  }
  if (phase === 'prepare') {
    run.node.state = 'stopped';
    run.node.timings.stopEnd = at;
    if (events.listenerCount > 0) events.dispatch({ type: 'stopped', path: run.record.path, ms: at - (run.node.timings.stopStart ?? at) });
  }
  return true;
}

async function runStep(
  s: StopStep,
  error: unknown,
  failures: ComponentStopError[],
  events: Signal<LifecycleEvent>,
  now: () => number,
): Promise<void> {
  const { run, phase } = s;
  const path = run.record.path;
  const began = now();
  if (phase === 'start' || !run.startBegan) {
    run.node.state = 'stopping';
    run.node.timings.stopStart = began;
  }
  const work =
    phase === 'start'
      ? run.owner.closeStartPhase(error)
      : run.ctx.close(error).then(() => run.inner?.close(error));
  try {
    if ((await within(work, run.record.stopTimeout)) === 'timeout') {
      // Stop waiting: the callback in progress is left running, the remaining ones are still
      // called (they may be what frees the resource), and nothing above waits for this one again.
      const abandoned = phase === 'start' ? [run.owner.abandonStartPhase()] : [run.ctx[abandonClose](), run.inner?.[abandonClose]()];
      work.catch(() => undefined);
      failures.push(
        new ComponentStopError(
          `component ${path} did not stop within its stop timeout of ${run.record.stopTimeout} ms ` +
            `(its ${phase}-phase teardown${describeAbandoned(abandoned)}); the rest of the application went on stopping. ` +
            `Make its teardown callbacks finish sooner or raise stopTimeout`,
          path,
        ),
      );
    }
  } catch (failure) {
    failures.push(
      new ComponentStopError(
        `component ${path} failed to stop (${phase} phase): ${failure instanceof Error ? failure.message : String(failure)}`,
        path,
        { cause: failure },
      ),
    );
  }
  if (phase === 'prepare') {
    run.node.state = 'stopped';
    run.node.timings.stopEnd = now();
    if (events.listenerCount > 0) events.dispatch({ type: 'stopped', path, ms: now() - (run.node.timings.stopStart ?? began) });
  }
}

function describeAbandoned(abandoned: readonly (AbandonedTeardown | undefined)[]): string {
  const running = abandoned.map((a) => a?.running).filter((name) => name !== undefined);
  const started = abandoned.reduce((sum, a) => sum + (a?.startedWithoutWaiting ?? 0), 0);
  const parts = [running.length > 0 ? `: ${running.join(', ')} is still running` : ' is still running'];
  if (started > 0) parts.push(`; ${started} later teardown callback(s) were called without waiting for them`);
  return parts.join('');
}

function isAncestor(candidate: ComponentRun, run: ComponentRun): boolean {
  for (let r = run.parent; r; r = r.parent) if (r === candidate) return true;
  return false;
}
