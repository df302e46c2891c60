import fc from 'fast-check';
import { bootstrap, Component, component, provides, requires, silentLogger, token, type ComponentType, type Context, ComponentStartError, TeardownError } from '../../lib';
import { buildSpec, treeArb, type NodeSpec } from './random-tree';

type Slot = 'prepare-callback' | 'prepare-resource' | 'start-callback' | 'start-resource';
const STOP_TIMEOUT = 25;
const never = (): Promise<never> => new Promise<never>(() => undefined);

interface Built {
  Root: ComponentType;
  registered: Set<string>;
  tornDown: Set<string>;
  hung: string;
}

/** Components that register teardown work in both phases; one piece of it never settles. */
function build(nodes: readonly NodeSpec[], hangAt: number, slot: Slot, failAt: number | undefined): Built {
  const tokens = nodes.map((node) => token<string>(`H${node.index}`));
  const classes: ComponentType[] = [];
  const registered = new Set<string>();
  const tornDown = new Set<string>();
  const hung = `${nodes[hangAt]!.path}:${slot}`;
  for (const node of nodes) {
    const work = (label: string) => (): unknown => {
      if (label === hung) return never();
      tornDown.add(label);
      return undefined;
    };
    const phase = async (ctx: Context, which: 'prepare' | 'start'): Promise<void> => {
      for (const kind of ['callback', 'resource'] as const) {
        const label = `${node.path}:${which}-${kind}`;
        registered.add(label);
        if (kind === 'callback') ctx.addTeardownCallback(work(label));
        else ctx.addResource(`${node.path}-${which}`, { types: [token<string>(`R${node.index}${which}`)], teardown: work(label) });
      }
      // A callback registered before the hanging one runs after it (LIFO): it must still run.
      const early = `${node.path}:${which}-early`;
      registered.add(early);
      ctx.addTeardownCallback(work(early));
      if (node.provides && node.publishIn === which) ctx.addResource(node.path, { types: [tokens[node.index]!] });
      await null;
      if (which === 'start' && failAt === node.index) throw new Error('injected start failure');
    };
    class Generated extends Component {
      constructor() {
        super();
        for (const child of node.children) this.addComponent(nodes[child]!.alias, classes[child]);
      }
      override async prepare(ctx: Context): Promise<void> {
        await phase(ctx, 'prepare');
      }
      override async start(ctx: Context): Promise<void> {
        await phase(ctx, 'start');
      }
    }
    Object.defineProperty(Generated, 'name', { value: `Hang${node.index}` });
    if (node.provides) provides(tokens[node.index]!)(Generated);
    for (const provider of node.requires) requires(tokens[provider]!)(Generated);
    component({ stopTimeout: STOP_TIMEOUT })(Generated);
    classes.push(Generated);
  }
  return { Root: classes[0]!, registered, tornDown, hung };
}

/** Settles with what `promise` settled with, or fails the test after 15 s (a hang). */
async function settles(promise: Promise<unknown>): Promise<{ ok: boolean; value: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('did not settle: it hangs')), 15_000)));
  try {
    return await Promise.race([promise.then((value) => ({ ok: true, value }), (value: unknown) => ({ ok: false, value })), hang]);
  } finally {
    clearTimeout(timer);
  }
}

const slotArb = fc.constantFrom<Slot>('prepare-callback', 'prepare-resource', 'start-callback', 'start-resource');

describe('stop never hangs', () => {
  it('regression: a teardown that never settles, in any phase of any component, ends stop() with a ComponentStopError and every other teardown still runs', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(8), fc.nat(), slotArb, async (draws, hangSeed, slot) => {
        const spec = buildSpec(draws);
        const built = build(spec.nodes, hangSeed % spec.nodes.length, slot, undefined);
        const app = await bootstrap(built.Root, undefined, { logger: silentLogger });
        const outcome = await settles(app.stop());
        expect(outcome.ok).toBe(false);
        expect(outcome.value).toBeInstanceOf(TeardownError);
        const stopErrors = (outcome.value as TeardownError).errors as Error[];
        expect(stopErrors.map((e) => (e as { code?: string }).code)).toEqual(['ASPHALT_COMPONENT_STOP']);
        expect(stopErrors[0]!.message).toMatch(/did not stop within its stop timeout of 25 ms/);
        for (const label of built.registered) if (label !== built.hung) expect([label, built.tornDown.has(label)]).toEqual([label, true]);
      }),
      { numRuns: 60 },
    );
  });

  it('regression: bootstrap() settles when a sibling fails start() and a prepare() teardown never settles', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(8), fc.nat(), fc.nat(), slotArb, async (draws, hangSeed, failSeed, slot) => {
        const spec = buildSpec(draws);
        const n = spec.nodes.length;
        const built = build(spec.nodes, hangSeed % n, slot, failSeed % n);
        const outcome = await settles(bootstrap(built.Root, undefined, { logger: silentLogger }));
        expect(outcome.ok).toBe(false);
        expect(outcome.value).toBeInstanceOf(ComponentStartError);
        for (const label of built.tornDown) expect(built.registered.has(label)).toBe(true);
        expect(built.tornDown.has(built.hung)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

describe('contexts opened under the application context', () => {
  it('regression: an open context above the components is closed with an application-stopping error before the components stop, so it does not hold a provider\'s stop', async () => {
    class Pool {
      held = 0;
      ended = false;
    }
    const PoolKey = token<Pool>('Pool');
    @provides(PoolKey)
    class DbComponent extends Component {
      override async start(ctx: Context): Promise<void> {
        const pool = new Pool();
        ctx.addResource(pool, { types: [PoolKey] });
        ctx.addTeardownCallback(async () => {
          // pool.end() waits until every checked-out client is released
          while (pool.held > 0) await new Promise((resolve) => setTimeout(resolve, 5));
          pool.ended = true;
        });
      }
    }
    const app = await bootstrap(DbComponent, undefined, { logger: silentLogger });
    const endings: unknown[] = [];
    const test = app.context.child(); // what `notes.list(app.context)` did in the user's test
    const pool = test.getResourceNowait(PoolKey);
    pool.held++;
    test.addTeardownCallback((error) => {
      endings.push(error);
      pool.held--;
    });
    await app.stop();
    expect(pool.ended).toBe(true);
    expect(endings).toHaveLength(1);
    expect((endings[0] as { code?: string; reason?: string }).code).toBe('ASPHALT_CONTEXT_ABORTED');
    expect((endings[0] as { reason?: string }).reason).toBe('application-stopping');
  });
});
