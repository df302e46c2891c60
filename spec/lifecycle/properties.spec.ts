/**
 * Property-based specs of the lifecycle over random component trees and requirement DAGs: the
 * start order, the stop order, and the rollback after a failure injected at a random component
 * and phase. See `random-tree.ts` for the generator.
 */
import fc from 'fast-check';
import { bootstrap, Signal, silentLogger, type LifecycleEvent } from '../../lib';
import {
  buildSpec,
  buildTree,
  failureArb,
  HANG_TIMEOUT,
  tick,
  treeArb,
  type FailureKind,
  type LogEntry,
  type NodeSpec,
  type TreeSpec,
} from './random-tree';

// No listener for unhandled rejections here: jest's sandboxed `process` never receives them, and
// jest itself fails the running test on any unhandled rejection.

/** The tree as text, for failure messages. */
function render(spec: TreeSpec): string {
  return spec.nodes
    .map((n) => {
      const depth = n.path.split('.').length - 1;
      const provides = n.provides ? ` provides T${n.index} in ${n.publishIn}()` : '';
      const requires = n.requires.length ? ` requires ${n.requires.map((r) => `T${r}`).join(', ')}` : '';
      return `${'  '.repeat(depth)}${n.path}${provides}${requires}`;
    })
    .join('\n');
}

/** A broken property (as opposed to an error the lifecycle is expected to throw). */
class PropertyFailure extends Error {}

function fail(spec: TreeSpec, log: readonly LogEntry[], message: string): never {
  const entries = log.map((e) => `${e.type}${'path' in e ? ` ${e.path}` : ''}${'label' in e ? ` [${e.label}]` : ''}`);
  throw new PropertyFailure(
    `${message}\ntree:\n${render(spec)}${spec.failure ? `\ninjected: ${JSON.stringify(spec.failure)}` : ''}\nlog:\n  ${entries.join('\n  ')}`,
  );
}

/** Positions of the log entries, by type and path (and label for teardowns). */
class Positions {
  readonly #first = new Map<string, number>();
  readonly #all = new Map<string, number[]>();
  constructor(log: readonly LogEntry[]) {
    log.forEach((entry, i) => {
      const keys = [entry.type + ('path' in entry ? ` ${entry.path}` : '')];
      if ('label' in entry) keys.push(`${keys[0]} ${entry.label}`);
      for (const key of keys) {
        if (!this.#first.has(key)) this.#first.set(key, i);
        const list = this.#all.get(key);
        if (list) list.push(i);
        else this.#all.set(key, [i]);
      }
    });
  }
  first(type: string, path?: string, label?: string): number | undefined {
    return this.#first.get([type, path, label].filter((p) => p !== undefined).join(' '));
  }
  all(type: string, path?: string, label?: string): readonly number[] {
    return this.#all.get([type, path, label].filter((p) => p !== undefined).join(' ')) ?? [];
  }
}

/**
 * Start order: a component begins prepare() only after each of its providers has published what it
 * requires, and after its parent's prepare() has finished; it begins start() only after each of its
 * children's start() has finished.
 */
function checkStartOrder(spec: TreeSpec, log: readonly LogEntry[]): void {
  const at = new Positions(log);
  for (const node of spec.nodes) {
    const began = at.first('prepare-begin', node.path);
    if (began === undefined) continue;
    for (const p of node.requires) {
      const provider = spec.nodes[p]!;
      const published = at.first('published', provider.path);
      if (published === undefined || published > began) {
        fail(spec, log, `${node.path} began prepare() before ${provider.path} published T${p}, which it requires`);
      }
    }
    if (node.parent !== undefined) {
      const parent = spec.nodes[node.parent]!;
      const prepared = at.first('prepare-end', parent.path);
      if (prepared === undefined || prepared > began) fail(spec, log, `${node.path} began prepare() before its parent ${parent.path} had prepared`);
    }
    const starting = at.first('start-begin', node.path);
    if (starting === undefined) continue;
    for (const c of node.children) {
      const child = spec.nodes[c]!;
      const started = at.first('start-end', child.path);
      if (started === undefined || started > starting) fail(spec, log, `${node.path} began start() before its child ${child.path} had started`);
    }
  }
}

/** Every teardown callback that was registered ran exactly once, and nothing else ran. */
function checkTeardownsRanOnce(spec: TreeSpec, log: readonly LogEntry[]): void {
  const registered = new Map<string, number>();
  const ran = new Map<string, number>();
  for (const entry of log) {
    if (entry.type !== 'register' && entry.type !== 'teardown') continue;
    const counts = entry.type === 'register' ? registered : ran;
    const key = `${entry.path} [${entry.label}]`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, count] of registered) {
    const times = ran.get(key) ?? 0;
    if (times !== count) fail(spec, log, `teardown ${key} was registered ${count} time(s) but ran ${times} time(s)`);
  }
  for (const key of ran.keys()) if (!registered.has(key)) fail(spec, log, `teardown ${key} ran but was never registered`);
}

/**
 * Stop order: every teardown of a consumer runs before any teardown its provider registered in the
 * phase that published the resource (that phase's callback and the resource's own). A parent's
 * start()-phase teardown runs before any teardown of its children, its prepare()-phase teardown
 * after all of them; a component's start()-phase teardown runs before its prepare()-phase one;
 * each phase's callbacks run LIFO.
 */
function checkStopOrder(spec: TreeSpec, log: readonly LogEntry[]): void {
  const at = new Positions(log);
  const teardowns = (node: NodeSpec) => at.all('teardown', node.path);
  const last = (list: readonly number[]) => (list.length ? Math.max(...list) : -Infinity);
  const first = (list: readonly number[]) => (list.length ? Math.min(...list) : Infinity);
  for (const node of spec.nodes) {
    const mine = teardowns(node);
    for (const p of node.requires) {
      const provider = spec.nodes[p]!;
      const publishing = first([...at.all('teardown', provider.path, 'resource'), ...at.all('teardown', provider.path, provider.publishIn)]);
      if (last(mine) > publishing) {
        fail(spec, log, `${provider.path} ran its ${provider.publishIn}()-phase teardown (T${p}) before its consumer ${node.path} had stopped`);
      }
    }
    const startPhase = at.first('teardown', node.path, 'start');
    const preparePhase = at.first('teardown', node.path, 'prepare');
    if (startPhase !== undefined && preparePhase !== undefined && startPhase > preparePhase) {
      fail(spec, log, `${node.path}: the prepare()-phase teardown ran before the start()-phase one`);
    }
    const resource = at.first('teardown', node.path, 'resource');
    const ownPhase = at.first('teardown', node.path, node.publishIn);
    if (resource !== undefined && ownPhase !== undefined && resource > ownPhase) {
      fail(spec, log, `${node.path}: ${node.publishIn}()-phase teardown callbacks did not run in LIFO order`);
    }
    for (const c of node.children) {
      const child = teardowns(spec.nodes[c]!);
      if (startPhase !== undefined && first(child) < startPhase) {
        fail(spec, log, `${spec.nodes[c]!.path} stopped before its parent's start()-phase teardown`);
      }
      if (preparePhase !== undefined && last(child) > preparePhase) {
        fail(spec, log, `${spec.nodes[c]!.path} was still stopping after its parent's prepare()-phase teardown`);
      }
    }
  }
}

/**
 * `promise`'s outcome, or a failure naming `what` if it is stuck: when IDLE_TICKS event-loop turns
 * pass without a new log entry once `timerFree(log)` holds (the generated components wait on
 * nothing but microtasks and setImmediate, so that is a deadlock, found in a few ms), and in any
 * case after DEADLINE ms.
 */
async function settle<T>(
  promise: Promise<T>,
  what: string,
  spec: TreeSpec,
  log: readonly LogEntry[],
  timerFree: (log: readonly LogEntry[]) => boolean = () => true,
): Promise<T> {
  let outcome: { value: T } | { error: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  const began = performance.now();
  for (let idle = 0, seen = log.length; outcome === undefined; ) {
    await tick();
    if (outcome !== undefined) break;
    if (log.length !== seen || !timerFree(log)) [idle, seen] = [0, log.length];
    else idle++;
    const elapsed = performance.now() - began;
    if (idle > IDLE_TICKS || elapsed > DEADLINE) {
      fail(spec, log, `${what} is stuck: not settled after ${idle > IDLE_TICKS ? `${idle} idle event-loop turns` : `${DEADLINE} ms`}`);
    }
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/**
 * Far above what any generated tree needs (a few ms, tens at 10x load), below the default
 * timeouts; a stuck start is mostly caught by the idle-turn count, which no load affects.
 */
const DEADLINE = 8_000;
const IDLE_TICKS = 200;

const expectedPhase: Record<FailureKind, string> = {
  constructor: 'construct',
  config: 'config',
  prepare: 'prepare',
  start: 'start',
  timeout: 'timeout',
};

/** Starts a random tree with a failure injected, and checks the error and the rollback. */
async function startWithFailure(spec: TreeSpec): Promise<void> {
  const log: LogEntry[] = [];
  const { Root, config } = buildTree(spec, log);
  const events = new Signal<LifecycleEvent>();
  events.connect((event) => {
    if (event.type === 'failed') log.push({ type: 'failed', path: event.path, phase: event.phase });
  });
  const failure = spec.failure!;
  const target = spec.nodes[failure.target]!;
  let error: unknown;
  try {
    // A hang ends by a timer, not by progress in the log; once it has failed, no timer is needed.
    const timerFree = failure.kind === 'timeout' ? (l: readonly LogEntry[]) => l.some((e) => e.type === 'failed') : undefined;
    const app = await settle(bootstrap(Root, config, { logger: silentLogger, events }), 'bootstrap()', spec, log, timerFree);
    await settle(app.stop(), 'app.stop()', spec, log, timerFree);
    fail(spec, log, `bootstrap resolved although ${target.path} fails in ${failure.kind}`);
  } catch (e) {
    if (e instanceof PropertyFailure) throw e;
    error = e;
  }
  log.push({ type: 'rejected' });
  for (let i = 0; i < 5; i++) await tick();

  const { code, path, phase } = (error ?? {}) as { code?: string; path?: string; phase?: string };
  if (code !== 'ASPHALT_COMPONENT_START' || path !== target.path || phase !== expectedPhase[failure.kind]) {
    fail(
      spec,
      log,
      `expected ASPHALT_COMPONENT_START at ${target.path} in phase ${expectedPhase[failure.kind]}, ` +
        `got ${code} at ${path} in phase ${phase}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (failure.kind === 'timeout' && (error as { cause?: { code?: string } }).cause?.code !== 'ASPHALT_STARTUP_TIMEOUT') {
    fail(spec, log, `a hang should be reported with a StartupTimeoutError cause`);
  }

  const rejected = log.findIndex((e) => e.type === 'rejected');
  const failed = log.findIndex((e) => e.type === 'failed');
  const startedLate = log.findIndex((e, i) => e.type === 'prepare-begin' && (i > rejected || (failed >= 0 && i > failed)));
  if (startedLate >= 0) fail(spec, log, `a component began prepare() after the failure (entry ${startedLate})`);
  const tornLate = log.findIndex((e, i) => e.type === 'teardown' && i > rejected);
  if (tornLate >= 0) fail(spec, log, `a teardown ran after bootstrap had rejected (entry ${tornLate}): the rollback was not awaited`);
  if ((failure.kind === 'constructor' || failure.kind === 'config') && log.some((e) => e.type === 'prepare-begin')) {
    fail(spec, log, `a component began prepare() although the tree could not be built`);
  }
  checkStartOrder(spec, log);
  checkTeardownsRanOnce(spec, log);
  checkStopOrder(spec, log);
}

/**
 * Bounds a property's run, shrinking included, below jest's test timeout: past the budget
 * fast-check stops and reports the smallest counterexample found so far; running out of time
 * before all cases have run is a failure, never a silent pass with fewer cases.
 */
// The budgets are ~10x what the runs take on an idle machine (800 runs took 30 s with 8 busy
// loops on a shared 2-core machine).
const budget = (ms: number) => ({ interruptAfterTimeLimit: ms, markInterruptAsFailure: true });

describe('lifecycle properties over random component trees', () => {
  it('starts every component after its providers have published and stops it before any of them', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(), async (draws) => {
        const spec = buildSpec(draws);
        const log: LogEntry[] = [];
        const { Root, config } = buildTree(spec, log);
        const app = await settle(bootstrap(Root, config, { logger: silentLogger }), 'bootstrap()', spec, log);
        log.push({ type: 'resolved' });
        for (const node of spec.nodes) {
          if (!log.some((e) => e.type === 'start-end' && e.path === node.path)) fail(spec, log, `${node.path} did not start`);
          if (app.graph.node(node.path).state !== 'started') fail(spec, log, `${node.path} is ${app.graph.node(node.path).state}`);
        }
        checkStartOrder(spec, log);
        if (log.some((e) => e.type === 'teardown')) fail(spec, log, 'a teardown ran during a successful start');

        await settle(app.stop(), 'app.stop()', spec, log);
        const count = log.length;
        await app.stop(); // a second stop() does nothing more
        await tick();
        if (log.length !== count) fail(spec, log, 'the second stop() ran teardown callbacks again');
        for (const node of spec.nodes) {
          const expected = node.provides ? 3 : 2;
          const ran = log.filter((e) => e.type === 'teardown' && e.path === node.path).length;
          if (ran !== expected) fail(spec, log, `${node.path} ran ${ran} teardown(s), expected ${expected}`);
        }
        checkTeardownsRanOnce(spec, log);
        checkStopOrder(spec, log);
      }),
      { numRuns: 800, ...budget(120_000) },
    );
  }, 180_000);

  it('rolls back everything that began when a random component fails in its constructor, config, prepare() or start()', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(), failureArb(['constructor', 'config', 'prepare', 'start']), async (draws, failure) => {
        await startWithFailure(buildSpec(draws, failure));
      }),
      { numRuns: 500, ...budget(120_000) },
    );
  }, 180_000);

  it(`rolls back everything that began when a random component hangs past a ${HANG_TIMEOUT} ms start timeout`, async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(8), failureArb(['timeout']), async (draws, failure) => {
        await startWithFailure(buildSpec(draws, failure));
      }),
      // Each case (and each shrinking step) waits ~30 ms for the timeout to fire.
      { numRuns: 50, ...budget(60_000) },
    );
  }, 120_000);
});
