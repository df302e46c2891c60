/**
 * Random component trees for the property-based lifecycle specs: a fast-check arbitrary for the
 * shape (nesting, who provides and requires what, in which phase, with which async steps, and an
 * optional injected failure), and a factory that turns a shape into real component classes that
 * record everything they do in a shared log.
 */
import { IsInt } from 'class-validator';
import fc from 'fast-check';
import { Component, component, provides, requires, token, type ComponentType, type Context, type Token } from '../../lib';

/** One async step: a microtask (`await null`) or a macrotask (`setImmediate`). */
export type Step = 'micro' | 'macro';
export type Phase = 'prepare' | 'start';

/** What the arbitrary draws for one component, before the requirements are made acyclic. */
export interface NodeDraw {
  /** The parent is node `parentSeed % index` (node 0 is the root). */
  parentSeed: number;
  provides: boolean;
  publishIn: Phase;
  /** Candidate providers: node `seed % n`. Dropped when not a provider, itself, a repeat or a cycle. */
  requireSeeds: number[];
  /** Async steps of each phase: before publishing (or failing late) and after. */
  prepareSteps: [Step[], Step[]];
  startSteps: [Step[], Step[]];
  /** Whether it takes a config class (`@IsInt() n = 1`) and is given a valid `n` in config. */
  configured: boolean;
}

export type FailureKind = 'constructor' | 'config' | 'prepare' | 'start' | 'timeout';

export interface FailureDraw {
  targetSeed: number;
  kind: FailureKind;
  /** For prepare/start: throw right after the phase began, or at its very end. For timeout: hang there. */
  early: boolean;
  /** For timeout: the phase that never finishes. */
  hangIn: Phase;
  /** For timeout: the small start timeout comes from `@component` or from config. */
  timeoutVia: 'decorator' | 'config';
}

export interface NodeSpec extends NodeDraw {
  readonly index: number;
  readonly parent: number | undefined;
  readonly alias: string;
  readonly path: string;
  readonly children: number[];
  /** Indices of the components it requires a token from. */
  readonly requires: number[];
}

export interface TreeSpec {
  readonly nodes: readonly NodeSpec[];
  readonly failure: (FailureDraw & { readonly target: number }) | undefined;
}

const stepArb = fc.constantFrom<Step>('micro', 'macro');

export const nodeArb: fc.Arbitrary<NodeDraw> = fc.record({
  parentSeed: fc.nat(),
  provides: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
  publishIn: fc.constantFrom<Phase>('prepare', 'start'),
  requireSeeds: fc.array(fc.nat(), { maxLength: 4 }),
  prepareSteps: fc.tuple(fc.array(stepArb, { maxLength: 2 }), fc.array(stepArb, { maxLength: 2 })),
  startSteps: fc.tuple(fc.array(stepArb, { maxLength: 2 }), fc.array(stepArb, { maxLength: 2 })),
  configured: fc.boolean(),
});

export const treeArb = (maxNodes = 12): fc.Arbitrary<NodeDraw[]> => fc.array(nodeArb, { minLength: 1, maxLength: maxNodes });

export const failureArb = (kinds: readonly FailureKind[]): fc.Arbitrary<FailureDraw> =>
  fc.record({
    targetSeed: fc.nat(),
    kind: fc.constantFrom(...kinds),
    early: fc.boolean(),
    hangIn: fc.constantFrom<Phase>('prepare', 'start'),
    timeoutVia: fc.constantFrom<'decorator' | 'config'>('decorator', 'config'),
  });

/**
 * Turns draws into a tree whose requirements can all be met: a requirement is kept only if it does
 * not close a cycle in the real start order, where a component prepares after its parent has
 * prepared and after each provider has published (at the end of the provider's prepare() or
 * start(), whichever publishes), and starts after its own prepare() and its children's start().
 */
export function buildSpec(draws: readonly NodeDraw[], failure?: FailureDraw): TreeSpec {
  const n = draws.length;
  const P = (i: number) => 2 * i;
  const S = (i: number) => 2 * i + 1;
  const successors: number[][] = Array.from({ length: 2 * n }, () => []);
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...successors[id]!);
    }
    return false;
  };

  const nodes: NodeSpec[] = [];
  draws.forEach((draw, index) => {
    const parent = index === 0 ? undefined : draw.parentSeed % index;
    const alias = index === 0 ? 'root' : `c${index}`;
    const path = parent === undefined ? 'root' : `${nodes[parent]!.path}.${alias}`;
    nodes.push({ ...draw, index, parent, alias, path, children: [], requires: [] });
    successors[P(index)]!.push(S(index));
    if (parent !== undefined) {
      nodes[parent]!.children.push(index);
      successors[P(parent)]!.push(P(index));
      successors[S(index)]!.push(S(parent));
    }
  });
  for (const node of nodes) {
    for (const seed of node.requireSeeds) {
      const provider = nodes[seed % n]!;
      if (!provider.provides || provider === node || node.requires.includes(provider.index)) continue;
      const from = provider.publishIn === 'prepare' ? P(provider.index) : S(provider.index);
      if (reaches(P(node.index), from)) continue; // would be a cycle
      successors[from]!.push(P(node.index));
      node.requires.push(provider.index);
    }
  }
  return { nodes, failure: failure && { ...failure, target: failure.targetSeed % n } };
}

/** One entry of the shared log. */
export type LogEntry =
  | { readonly type: 'construct' | 'prepare-begin' | 'prepare-end' | 'start-begin' | 'start-end'; readonly path: string }
  | { readonly type: 'published'; readonly path: string }
  | { readonly type: 'register' | 'teardown'; readonly path: string; readonly label: string }
  | { readonly type: 'failed'; readonly path: string; readonly phase: string }
  | { readonly type: 'rejected' | 'resolved' };

export class NodeConfig {
  @IsInt() n = 1;
}

export interface BuiltTree {
  readonly Root: ComponentType;
  readonly config: Record<string, unknown>;
  readonly tokens: readonly Token<string>[];
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function run(steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    if (step === 'micro') await null;
    else await tick();
  }
}

/** The small start timeout of an injected hang (ms). */
export const HANG_TIMEOUT = 30;

/** Creates one component class per node (children added in the constructor) and the config. */
export function buildTree(spec: TreeSpec, log: LogEntry[]): BuiltTree {
  const { nodes, failure } = spec;
  const tokens = nodes.map((node) => token<string>(`T${node.index}`));
  const classes: ComponentType[] = [];
  const failing = (node: NodeSpec, kind: FailureKind): boolean => failure !== undefined && failure.target === node.index && failure.kind === kind;

  for (const node of nodes) {
    // Logged once registered: a phase abandoned after a failure may resume after the rollback has
    // closed its context, and then registering throws (and nothing is left to tear down).
    const register = (ctx: Context, label: string): void => {
      ctx.addTeardownCallback(() => void log.push({ type: 'teardown', path: node.path, label }));
      log.push({ type: 'register', path: node.path, label });
    };
    const publish = (ctx: Context): void => {
      ctx.addResource(node.path, {
        types: [tokens[node.index]!],
        teardown: () => void log.push({ type: 'teardown', path: node.path, label: 'resource' }),
      });
      log.push({ type: 'register', path: node.path, label: 'resource' }, { type: 'published', path: node.path });
    };
    const phase = async (ctx: Context, which: Phase): Promise<void> => {
      log.push({ type: which === 'prepare' ? 'prepare-begin' : 'start-begin', path: node.path });
      register(ctx, which);
      const [before, after] = which === 'prepare' ? node.prepareSteps : node.startSteps;
      if (failing(node, 'timeout') && failure!.hangIn === which) {
        if (!failure!.early) await run(before);
        await new Promise<never>(() => undefined);
      }
      const injected = failing(node, which);
      if (injected && failure!.early) throw new Error(`injected ${which} failure`);
      await run(before);
      if (node.provides && node.publishIn === which) publish(ctx);
      await run(after);
      if (injected) throw new Error(`injected ${which} failure`);
      log.push({ type: which === 'prepare' ? 'prepare-end' : 'start-end', path: node.path });
    };

    class Generated extends Component {
      // A rest parameter keeps `length` 0: a component without a config class takes no parameter.
      constructor(...[config]: [NodeConfig?]) {
        super();
        if (node.configured && !(config instanceof NodeConfig)) throw new Error(`expected a NodeConfig, got ${String(config)}`);
        log.push({ type: 'construct', path: node.path });
        if (failing(node, 'constructor')) throw new Error('injected constructor failure');
        for (const child of node.children) this.addComponent(nodes[child]!.alias, classes[child]);
      }
      override async prepare(ctx: Context): Promise<void> {
        await phase(ctx, 'prepare');
      }
      override async start(ctx: Context): Promise<void> {
        await phase(ctx, 'start');
      }
    }
    Object.defineProperty(Generated, 'name', { value: `Node${node.index}` });
    if (node.provides) provides(tokens[node.index]!, { phase: node.publishIn })(Generated);
    for (const provider of node.requires) requires(tokens[provider]!)(Generated);
    const options: Parameters<typeof component>[0] = {};
    if (node.configured || failing(node, 'config')) options.config = NodeConfig;
    if (failing(node, 'timeout') && failure!.timeoutVia === 'decorator') options.startTimeout = HANG_TIMEOUT;
    component(options)(Generated);
    classes.push(Generated);
  }

  // Config: each component's plain config sits at `components.<alias>` of its parent's.
  const plain = nodes.map((): Record<string, unknown> => ({}));
  for (const node of nodes) {
    const own = plain[node.index]!;
    if (failing(node, 'config')) own.n = 'bad';
    else if (node.configured) own.n = node.index + 2;
    if (failing(node, 'timeout') && failure!.timeoutVia === 'config') own.startTimeout = HANG_TIMEOUT;
  }
  for (let i = nodes.length - 1; i > 0; i--) {
    const node = nodes[i]!;
    const own = plain[i]!;
    if (Object.keys(own).length === 0) continue;
    const parent = plain[node.parent!]!;
    ((parent.components ??= {}) as Record<string, unknown>)[node.alias] = own;
  }
  return { Root: classes[0]!, config: plain[0]!, tokens };
}

/** Whether `a` is a strict ancestor of `b`. */
export function isAncestor(nodes: readonly NodeSpec[], a: number, b: number): boolean {
  for (let p = nodes[b]!.parent; p !== undefined; p = nodes[p]!.parent) if (p === a) return true;
  return false;
}
