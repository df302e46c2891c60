import { isChild, nextMeasurement, serve, servedSubject, spawnSubject, subjectKey, type Remote } from './isolate';
import { performance } from 'node:perf_hooks';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import avvio from 'avvio';
import { Context as EffectContext, Effect, Exit, Layer, Scope } from 'effect';
import { Container } from 'inversify';
import { bootstrap, Component, provides, requires, silentLogger, token, type Context, type Token } from '../lib';
import { formatRatio, gcExposed, type Row, type TargetCheck } from './harness';

// Shared by the lifecycle scenarios (boot, async-start, stop): one layered DAG, and the same DAG
// built for asphalt and for every peer. Fairness rules, the same for everyone:
// - Every node publishes a fresh `{ id, deps }` value built from the values of the 2-3 nodes of the
//   previous layer it requires; what the framework hands over (injection, lookup) is the peer's
//   idiomatic way. A counter checks after each boot that all N nodes ran (and, with teardown,
//   that all N stopped), so no framework can skip work.
// - Declarations (asphalt component classes, Nest module classes, avvio plugin functions, Effect
//   layer values) are the application's code: made afresh for every rep (so no framework reuses
//   what it cached on a class during an earlier boot), outside the timing. What is timed is what
//   a starting process pays: bootstrap to resolved / ready / built.
// - inversify has no startup phase: its timed boot is `new Container()` + N bindings + `get` of
//   every binding (it resolves lazily, so resolving all is what "started" means there).
// - Slow nodes sleep with `setTimeout` (asphalt, avvio, NestJS, baselines) or `Effect.sleep`.
// - One process for all: once asphalt has run a `Context.run` (AsyncLocalStorage), Node 20 keeps
//   its promise hooks on, and every promise of every peer measured after it pays for them too.
//   That handicaps the promise-heavy peers (NestJS) a little; it never favours them.

/** A layered DAG: node `i` requires `deps[i]` (all in the previous layer); layer 0 requires nothing. */
export interface Dag {
  readonly n: number;
  readonly width: number;
  readonly layers: number;
  readonly deps: readonly (readonly number[])[];
  /** Nodes that nothing requires (the last layer and any unpicked ones). */
  readonly sinks: readonly number[];
}

/** mulberry32: a small deterministic PRNG, so every run and every framework gets the same DAG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` nodes in layers of `width` (default `round(sqrt(n))`); each node after the first layer requires
 * 2 or 3 distinct nodes of the previous layer, picked at random with a fixed seed.
 */
export function layeredDag(n: number, width = Math.max(2, Math.round(Math.sqrt(n))), seed = 42): Dag {
  const random = prng(seed);
  const deps: number[][] = [];
  const required = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    if (layer === 0) {
      deps.push([]);
      continue;
    }
    const from = (layer - 1) * width;
    const size = Math.min(width, n - from);
    const want = Math.min(size, 2 + Math.floor(random() * 2));
    const picked: number[] = [];
    while (picked.length < want) {
      const d = from + Math.floor(random() * size);
      if (!picked.includes(d)) picked.push(d);
    }
    picked.sort((a, b) => a - b);
    for (const d of picked) required[d] = 1;
    deps.push(picked);
  }
  const sinks: number[] = [];
  for (let i = 0; i < n; i++) if (!required[i]) sinks.push(i);
  return { n, width, layers: Math.ceil(n / width), deps, sinks };
}

/** What each node does: 0 ms means a trivial node (publishes at once, nothing to tear down). */
export interface Behaviour {
  /** The node's start awaits this many ms before publishing. */
  readonly startMs: number;
  /** The node registers a teardown that awaits this many ms. */
  readonly stopMs: number;
}

export const TRIVIAL: Behaviour = { startMs: 0, stopMs: 0 };

export interface Value {
  readonly id: number;
  readonly deps: readonly Value[];
}

export interface Running {
  stop(): Promise<void>;
}

/** One framework building the DAG: `boot()` starts it, checks every node ran, returns the handle. */
export interface Subject {
  readonly name: string;
  readonly peer: string;
  boot(): Promise<Running>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the nodes that ran, and fails a boot (or stop) that skipped some. */
class Counter {
  started = 0;
  stopped = 0;
  constructor(
    readonly name: string,
    readonly n: number,
    readonly behaviour: Behaviour,
  ) {}
  reset(): void {
    this.started = this.stopped = 0;
  }
  checkStarted(): void {
    if (this.started !== this.n) throw new Error(`${this.name}: ${this.started} of ${this.n} nodes started`);
  }
  checkStopped(): void {
    if (this.behaviour.stopMs > 0 && this.stopped !== this.n) {
      throw new Error(`${this.name}: ${this.stopped} of ${this.n} nodes ran their teardown`);
    }
  }
  wrap(run: Running): Running {
    return {
      stop: async () => {
        await run.stop();
        this.checkStopped();
      },
    };
  }
}

function named<T extends abstract new (...args: never[]) => unknown>(name: string, cls: T): T {
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

// --- asphalt ---------------------------------------------------------------------------------

/**
 * One component class per node (made by a factory function), `@provides(its token)` and
 * class-level `@requires(token)` of each dependency (called as functions), all children of one
 * root added with `addComponent`. Each publishes its value in `start()`, read its dependencies with
 * `getResourceNowait` (they are published by then: that is what `@requires` guarantees).
 */
export function asphaltSubject(dag: Dag, behaviour: Behaviour = TRIVIAL, name = 'asphalt bootstrap'): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  const tokens: Token<Value>[] = dag.deps.map((_, i) => token<Value>(`c${i}`));
  const { startMs, stopMs } = behaviour;
  const classes = dag.deps.map((deps, i) => {
    const own = tokens[i]!;
    const depTokens = deps.map((d) => tokens[d]!);
    const publish = (ctx: Context): void => {
      const values = depTokens.map((t) => ctx.getResourceNowait(t));
      ctx.addResource({ id: i, deps: values }, { types: [own] });
      counter.started++;
      if (stopMs > 0) ctx.addTeardownCallback(() => sleep(stopMs).then(() => void counter.stopped++));
    };
    const cls =
      startMs > 0
        ? class extends Component {
            override async start(ctx: Context): Promise<void> {
              await sleep(startMs);
              publish(ctx);
            }
          }
        : class extends Component {
            override async start(ctx: Context): Promise<void> {
              publish(ctx);
            }
          };
    named(`Node${i}`, cls);
    provides(own)(cls);
    for (const t of depTokens) requires(t)(cls);
    return cls;
  });
  class Root extends Component {
    constructor() {
      super();
      for (let i = 0; i < classes.length; i++) this.addComponent(`c${i}`, classes[i]);
    }
  }
  return {
    name,
    peer: 'asphalt',
    async boot() {
      counter.reset();
      const app = await bootstrap(Root, {}, { logger: silentLogger });
      counter.checkStarted();
      return counter.wrap({ stop: () => app.stop() });
    },
  };
}

// --- NestJS ----------------------------------------------------------------------------------

interface NestNode {
  onModuleInit?: () => Promise<void>;
  onModuleDestroy?: () => Promise<void>;
}

/** Which NestJS start hook does the waiting in the async scenario. */
export type NestWait = 'onModuleInit' | 'asyncFactory';

function nestProvider(i: number, deps: readonly number[], counter: Counter, wait: NestWait) {
  const { startMs, stopMs } = counter.behaviour;
  const build = (values: Value[]): Value & NestNode => {
    const value: Value & NestNode = { id: i, deps: values };
    if (startMs > 0 && wait === 'onModuleInit') {
      value.onModuleInit = () => sleep(startMs).then(() => void counter.started++);
    } else {
      counter.started++;
    }
    if (stopMs > 0) value.onModuleDestroy = () => sleep(stopMs).then(() => void counter.stopped++);
    return value;
  };
  return {
    provide: `c${i}`,
    inject: deps.map((d) => `c${d}`),
    useFactory:
      startMs > 0 && wait === 'asyncFactory'
        ? async (...values: Value[]) => {
            await sleep(startMs);
            return build(values);
          }
        : (...values: Value[]) => build(values),
  };
}

function nestBoot(name: string, root: Type, counter: Counter): Subject {
  return {
    name,
    peer: 'nestjs',
    async boot() {
      counter.reset();
      const app = await NestFactory.createApplicationContext(root, { logger: false, abortOnError: false });
      counter.checkStarted();
      return counter.wrap({ stop: () => app.close() });
    },
  };
}

/** N modules, each importing the modules of its dependencies and exporting its one provider. */
export function nestModulesSubject(dag: Dag, behaviour: Behaviour = TRIVIAL, wait: NestWait = 'onModuleInit', name = 'NestJS N modules'): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  const modules: Type[] = [];
  dag.deps.forEach((deps, i) => {
    const cls = named(`Node${i}Module`, class {});
    Module({ imports: deps.map((d) => modules[d]!), providers: [nestProvider(i, deps, counter, wait)], exports: [`c${i}`] })(cls);
    modules.push(cls);
  });
  const root = named('RootModule', class {});
  Module({ imports: modules })(root);
  return nestBoot(name, root, counter);
}

/** One module holding all N providers. */
export function nestOneModuleSubject(dag: Dag, behaviour: Behaviour = TRIVIAL, name = 'NestJS one module'): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  const root = named('OneModule', class {});
  Module({ providers: dag.deps.map((deps, i) => nestProvider(i, deps, counter, 'onModuleInit')) })(root);
  return nestBoot(name, root, counter);
}

// --- avvio -----------------------------------------------------------------------------------

type Done = (error?: Error) => void;
// avvio's typings give onClose's callback as `Function`.
type OnClose = (listener: (instance: unknown, done: Done) => void) => void;

/**
 * N plugins registered with `use` in topological order (avvio loads strictly one after the other,
 * so registration order is the only way to express dependencies), awaited `ready()`. Values are
 * shared through an array, as fastify plugins share through decorations.
 */
export function avvioSubject(dag: Dag, behaviour: Behaviour = TRIVIAL, name = 'avvio use + ready'): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  let values: Value[] = [];
  const { startMs, stopMs } = behaviour;
  const plugins = dag.deps.map((deps, i) => {
    const publish = (server: ReturnType<typeof avvio>): void => {
      values[i] = { id: i, deps: deps.map((d) => values[d]!) };
      counter.started++;
      if (stopMs > 0) {
        (server.onClose as unknown as OnClose)((_instance: unknown, done: Done) => void sleep(stopMs).then(() => (counter.stopped++, done())));
      }
    };
    return startMs > 0
      ? (server: ReturnType<typeof avvio>, _options: unknown, done: Done) =>
          void setTimeout(() => {
            publish(server);
            done();
          }, startMs)
      : (server: ReturnType<typeof avvio>, _options: unknown, done: Done) => {
          publish(server);
          done();
        };
  });
  return {
    name,
    peer: 'avvio',
    async boot() {
      counter.reset();
      values = new Array<Value>(dag.n);
      const app = avvio({}, { autostart: false });
      for (const plugin of plugins) app.use(plugin as never);
      await app.ready();
      counter.checkStarted();
      // close() without a callback returns a promise (avvio/index.js); its typings only list callbacks.
      const close = app.close as unknown as () => Promise<void>;
      return counter.wrap({
        stop: async () => {
          await close.call(app);
          values = [];
        },
      });
    },
  };
}

// --- Effect 4 --------------------------------------------------------------------------------

/**
 * One `Context.Service` and one `Layer.effect` per node, whose effect reads its dependencies'
 * services; each node's layer is provided with the (memoised, so built once) layers of its
 * dependencies, and the app is `Layer.mergeAll` of all of them, built into an explicit scope.
 * Stop closes the scope (with an `acquireRelease` finalizer per node when nodes have a teardown);
 * the scope is sequential by default, as `Effect.scoped` and `ManagedRuntime` make it.
 */
export function effectSubject(
  dag: Dag,
  behaviour: Behaviour = TRIVIAL,
  name = 'Effect Layer.buildWithScope',
  finalizers: 'sequential' | 'parallel' = 'sequential',
): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  const { startMs, stopMs } = behaviour;
  const services = dag.deps.map((_, i) => EffectContext.Service<Value>(`c${i}`));
  type AnyLayer = Layer.Layer<unknown, never, unknown>;
  const layers: AnyLayer[] = [];
  dag.deps.forEach((deps, i) => {
    const depServices = deps.map((d) => services[d]!);
    let make: Effect.Effect<Value, never, unknown> = Effect.gen(function* () {
      const values: Value[] = [];
      for (const service of depServices) values.push(yield* service);
      if (startMs > 0) yield* Effect.sleep(startMs);
      counter.started++;
      return { id: i, deps: values };
    });
    if (stopMs > 0) {
      make = Effect.acquireRelease(make, () =>
        Effect.sleep(stopMs).pipe(
          Effect.andThen(
            Effect.sync(() => {
              counter.stopped++;
            }),
          ),
        ),
      );
    }
    const own = Layer.effect(services[i]!, make) as unknown as AnyLayer;
    const layer =
      deps.length === 0 ? own : (Layer.provide(own, Layer.mergeAll(...(deps.map((d) => layers[d]!) as [AnyLayer, ...AnyLayer[]]))) as AnyLayer);
    layers.push(layer);
  });
  const app = Layer.mergeAll(...(layers as [AnyLayer, ...AnyLayer[]])) as Layer.Layer<unknown, never, never>;
  return {
    name,
    peer: 'effect',
    async boot() {
      counter.reset();
      const scope = Scope.makeUnsafe(finalizers);
      await Effect.runPromise(Layer.buildWithScope(app, scope));
      counter.checkStarted();
      return counter.wrap({ stop: () => Effect.runPromise(Scope.close(scope, Exit.void)) });
    },
  };
}

// --- inversify -------------------------------------------------------------------------------

/** N singleton `toDynamicValue` bindings whose factories `get` their dependencies; then `get` all. */
export function inversifySubject(dag: Dag, name = 'inversify bind + get all'): Subject {
  const counter = new Counter(name, dag.n, TRIVIAL);
  const ids = dag.deps.map((_, i) => Symbol.for(`c${i}`));
  return {
    name,
    peer: 'inversify',
    async boot() {
      counter.reset();
      const container = new Container();
      dag.deps.forEach((deps, i) => {
        container
          .bind<Value>(ids[i]!)
          .toDynamicValue((ctx) => {
            const values = deps.map((d) => ctx.get<Value>(ids[d]!));
            counter.started++;
            return { id: i, deps: values };
          })
          .inSingletonScope();
      });
      for (const id of ids) container.get<Value>(id);
      counter.checkStarted();
      return { stop: async () => container.unbindAll() };
    },
  };
}

/**
 * Only the inversify work an asphalt boot cannot avoid: one `toConstantValue` binding per published
 * resource in one container, no lookups. Not a peer: the floor under asphalt's boot time.
 */
export function inversifyBindOnlySubject(dag: Dag, name = 'inversify bind only (asphalt floor)'): Subject {
  const ids = dag.deps.map((_, i) => Symbol(`c${i} 'default'`));
  return {
    name,
    peer: 'floor',
    async boot() {
      const container = new Container();
      for (let i = 0; i < ids.length; i++) container.bind<Value>(ids[i]!).toConstantValue({ id: i, deps: [] });
      return { stop: async () => container.unbindAll() };
    },
  };
}

// --- baselines -------------------------------------------------------------------------------

/** The floor: values built in topological order into a `Map`. */
export function mapBaseline(dag: Dag, name = 'bare Map (baseline)'): Subject {
  const counter = new Counter(name, dag.n, TRIVIAL);
  return {
    name,
    peer: 'baseline',
    async boot() {
      counter.reset();
      const map = new Map<number, Value>();
      dag.deps.forEach((deps, i) => {
        map.set(i, { id: i, deps: deps.map((d) => map.get(d)!) });
        counter.started++;
      });
      counter.checkStarted();
      return { stop: async () => map.clear() };
    },
  };
}

/**
 * The floor for slow nodes: one promise per node that waits for its dependencies' promises, then
 * sleeps; teardown mirrors it (a node stops once everything that requires it has stopped).
 */
export function promisesBaseline(dag: Dag, behaviour: Behaviour, name = 'bare promises (baseline)'): Subject {
  const counter = new Counter(name, dag.n, behaviour);
  const dependents: number[][] = dag.deps.map(() => []);
  dag.deps.forEach((deps, i) => deps.forEach((d) => dependents[d]!.push(i)));
  return {
    name,
    peer: 'baseline',
    async boot() {
      counter.reset();
      const started: Promise<Value>[] = [];
      dag.deps.forEach((deps, i) => {
        started.push(
          Promise.all(deps.map((d) => started[d]!)).then(async (values) => {
            if (behaviour.startMs > 0) await sleep(behaviour.startMs);
            counter.started++;
            return { id: i, deps: values };
          }),
        );
      });
      await Promise.all(started);
      counter.checkStarted();
      return counter.wrap({
        stop: async () => {
          const stopped: Promise<void>[] = new Array<Promise<void>>(dag.n);
          for (let i = dag.n - 1; i >= 0; i--) {
            stopped[i] = Promise.all(dependents[i]!.map((d) => stopped[d]!)).then(async () => {
              if (behaviour.stopMs > 0) await sleep(behaviour.stopMs);
              counter.stopped++;
            });
          }
          await Promise.all(stopped);
        },
      });
    },
  };
}

// --- timing ----------------------------------------------------------------------------------

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Lets timers and pending callbacks of a stopped app run, so a full GC can free it. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Waits until the heap is stable across full GCs: some peers finish their shutdown in later macrotasks
 * (Effect's scheduler, NestJS), and until they have, their garbage is still reachable. Without this,
 * the next measurement would pay for it (time) or see it freed (a negative heap figure).
 */
async function quiesce(): Promise<number> {
  let previous = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i++) {
    await settle();
    gc();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(used - previous) < 256 * 1024) return used;
    previous = used;
  }
  return previous;
}

export interface Timing {
  readonly name: string;
  readonly peer: string;
  /** Milliseconds, one per timed rep. */
  readonly boot: number[];
  readonly stop: number[];
  /** Bytes of heap retained by the running app (gc before boot and after it), per rep. */
  readonly heap: number[];
}

export interface Plan {
  /** Makes the declarations (classes, modules, plugins, layers); called afresh for every rep. */
  readonly make: () => Subject;
  readonly warmup: number;
  readonly reps: number;
  /** Also measure the retained heap (an extra full GC per rep, outside the timings). */
  readonly heap?: boolean;
}

/** One rep's figures, as a child reports them. */
interface Rep {
  readonly boot: number;
  readonly stop: number;
  readonly heap: number | undefined;
}

/** One timed rep of `subject`: GC, boot, (heap), stop. */
async function timeRep(subject: Subject, heap: boolean | undefined): Promise<Rep> {
  const heapBefore = await quiesce();
  let t = performance.now();
  // Cleared after the stop: a suspended async frame keeps a stale register alive, and with it the
  // previous app, which would then count against the next rep's heap figure.
  let running: Running | undefined = await subject.boot();
  const boot = performance.now() - t;
  let retained: number | undefined;
  if (heap && gcExposed) retained = (await quiesce()) - heapBefore;
  else gc();
  t = performance.now();
  await running.stop();
  running = undefined;
  return { boot, stop: performance.now() - t, heap: retained };
}

/**
 * Times every subject in a child process of its own (see ./isolate): each child makes its
 * subject, runs the warm-up reps, and then one timed rep per request; the parent sends the
 * requests in interleaved rounds (each round one rep of every subject that still has reps left,
 * in a rotated order, one process at a time), so drift of a shared machine spreads over all of
 * them. A full GC runs before every timed boot and stop, outside the timing.
 *
 * Every rep gets fresh declarations (as a process booting once has), untimed: nothing a framework
 * caches on a class or module from an earlier boot survives into the next rep, and the heap
 * measured (after the declarations exist, then with the app alive) is the app's alone.
 */
export async function timeSubjects(plans: readonly Plan[]): Promise<Timing[]> {
  const index = nextMeasurement();
  const names = plans.map((plan) => plan.make());
  if (isChild) {
    const i = names.findIndex((subject) => servedSubject(subjectKey(index, subject.name)));
    // Another subject's measurement: one NaN per figure, so the scenario's code runs on to the next.
    if (i < 0) return names.map((subject) => ({ name: subject.name, peer: subject.peer, boot: [NaN], stop: [NaN], heap: [NaN] }));
    const plan = plans[i]!;
    for (let w = 0; w < plan.warmup; w++) await (await plan.make().boot()).stop();
    let first: Subject | undefined = names[i];
    return serve(true, async () => {
      const subject = first ?? plan.make();
      first = undefined;
      return timeRep(subject, plan.heap);
    });
  }
  const remotes: Array<Remote<boolean, Rep>> = [];
  try {
    for (const subject of names) remotes.push(await spawnSubject<boolean, Rep>(subjectKey(index, subject.name)));
    const timings = names.map((subject): Timing => ({ name: subject.name, peer: subject.peer, boot: [], stop: [], heap: [] }));
    const rounds = Math.max(...plans.map((p) => p.reps));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < plans.length; k++) {
        const i = (k + round) % plans.length;
        if (round >= plans[i]!.reps) continue;
        const rep = await remotes[i]!.measure();
        timings[i]!.boot.push(rep.boot);
        timings[i]!.stop.push(rep.stop);
        if (rep.heap !== undefined) timings[i]!.heap.push(rep.heap);
      }
    }
    return timings;
  } finally {
    for (const remote of remotes) remote.close();
  }
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** A `Row` (rates, as the run summary expects) from milliseconds per run. */
export function rowFromMs(name: string, peer: string, ms: readonly number[]): Row {
  return {
    name,
    peer,
    median: 1000 / median(ms),
    // A higher percentile of time is a lower rate.
    p10: 1000 / quantile(ms, 0.9),
    p90: 1000 / quantile(ms, 0.1),
    samples: ms.length,
    batchSize: 1,
  };
}

export function formatMs(ms: number): string {
  return Number.isNaN(ms) ? '-' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function formatBytes(bytes: number): string {
  return Number.isNaN(bytes) ? '-' : bytes >= 1024 ? `${(bytes / 1024).toFixed(2)} KB` : `${bytes.toFixed(0)} B`;
}

/** A target on two rows of a result: `subject` rate >= `minRatio` x `versus` rate (i.e. time ratio). */
export function rateTarget(label: string, rows: readonly Row[], subject: string, versus: string, minRatio: number): TargetCheck {
  const s = rows.find((r) => r.name === subject);
  const v = rows.find((r) => r.name === versus);
  if (!s || !v) throw new Error(`target '${label}': no row '${s ? versus : subject}'`);
  const ratio = s.median / v.median;
  return { label: `${label} (${formatRatio(ratio)})`, subject, versus, ratio, minRatio, pass: ratio >= minRatio };
}

/** A target on a measured figure against a limit (lower is better); the label carries both. */
export function limitTarget(label: string, row: string, value: number, limit: number, unit: string): TargetCheck {
  const ratio = limit / value;
  return {
    label: `${label}: ${value.toFixed(2)} ${unit} (limit ${limit} ${unit})`,
    subject: row,
    versus: row,
    ratio,
    minRatio: 1,
    pass: value <= limit,
  };
}

/** Prints a fixed-width table (first column left-aligned, the rest right-aligned). */
export function printTable(header: readonly string[], body: readonly (readonly string[])[]): void {
  const widths = header.map((h, col) => Math.max(h.length, ...body.map((row) => row[col]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  console.log([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n'));
}
