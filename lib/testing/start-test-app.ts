import type { ComponentType } from '../components/component';
import type { Application } from '../lifecycle/application';
import { bootstrap, type BootstrapOptions } from '../lifecycle/bootstrap';
import { silentLogger } from '../lifecycle/logger';
import { planOverrides, type CheckedOverrides, type Override } from './overrides';

/** Options of {@link startTestApp}: those of `bootstrap`, with test defaults, plus `overrides`. */
export interface TestAppOptions<O extends readonly Override[] = readonly Override[]> extends BootstrapOptions {
  /**
   * Resources (`{ resource: Key, name?, value }`) and components (`{ component: 'root.db', with:
   * FakeDb }`) to replace; see {@link ResourceOverride} and {@link ComponentOverride}.
   */
  overrides?: readonly [...O] & CheckedOverrides<O>;
  /** Default start timeout of each component, ms. Default 2,000 (below Jest's 5 s test timeout). */
  startTimeout?: number;
  /** Default stop timeout of each component, ms. Default 2,000. */
  stopTimeout?: number;
  /** Default: silent. */
  logger?: BootstrapOptions['logger'];
}

/** Default start and stop timeout of a test application's components, ms. */
export const TEST_TIMEOUT_MS = 2_000;

type Hook = (fn: () => unknown) => void;
interface TestGlobals {
  beforeEach?: Hook;
  afterEach?: Hook;
  afterAll?: Hook;
}
interface Tracked {
  readonly app: Application;
  /** `test`: stopped after the current test; `file`: at the end of the file (started in beforeAll). */
  readonly until: 'test' | 'file';
}
interface Registry {
  readonly tracked: Tracked[];
  hooked: boolean;
  /** From this module's beforeEach hook (the first to run) to its afterEach hook (the last): in a test. */
  inTest: boolean;
}

const registryKey = Symbol.for('asphalt-ts.testing.running');

/**
 * The apps to stop, shared by every copy of this module loaded into one test file (Jest's
 * `resetModules` loads it again); the hooks are registered by the first, while the file loads.
 */
function registry(): Registry {
  const holder = globalThis as typeof globalThis & { [registryKey]?: Registry };
  const existing = holder[registryKey];
  if (existing) return existing;
  const globals = globalThis as TestGlobals;
  const state: Registry = { tracked: [], hooked: false, inTest: false };
  const { beforeEach, afterEach, afterAll } = globals;
  if (typeof beforeEach === 'function' && typeof afterEach === 'function' && typeof afterAll === 'function') {
    try {
      beforeEach(() => void (state.inTest = true));
      afterEach(async () => {
        try {
          await stopTracked(state.tracked, 'test');
        } finally {
          state.inTest = false;
        }
      });
      afterAll(() => stopTracked(state.tracked, 'file'));
      state.hooked = true;
    } catch {
      // Not at a point where hooks can be added: apps must be stopped by hand.
    }
  }
  return (holder[registryKey] = state);
}
registry();

/** Stops the tracked apps of that kind, latest first; errors of apps the test already stopped are its own. */
async function stopTracked(tracked: Tracked[], until: 'test' | 'file'): Promise<void> {
  const failures: unknown[] = [];
  for (let i = tracked.length - 1; i >= 0; i--) {
    const { app } = tracked[i]!;
    if (until === 'test' && tracked[i]!.until !== 'test') continue;
    tracked.splice(i, 1);
    const stoppedByTest = [...app.graph.nodes.values()].some((node) => node.timings.stopStart !== undefined);
    try {
      await app.stop();
    } catch (error) {
      if (!stoppedByTest) failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} test applications failed to stop cleanly`);
}

/**
 * Starts a component tree for a test, like `bootstrap` but with a silent logger and short
 * timeouts, and stops it after the test: an app started in a test (or its `beforeEach` /
 * `afterEach` hooks) is stopped by an `afterEach` hook, one started in `beforeAll` by an `afterAll`
 * hook at the end of the file. The hooks are registered at the top level of the test file when
 * this module is first imported there, where the runner has global hooks (as Jest has).
 * Stopping it in the test first is fine; a stop error is then the test's to handle. Without global
 * hooks, stop it yourself (`await using app = await startTestApp(...)`).
 *
 * `overrides` replace parts of the tree without editing it:
 * - `{ resource: Key, name?, value }`: every component that requires `Key` gets `value`. The
 *   component that would have provided it is replaced by a stub that provides nothing (it is not
 *   started, so no real connection is made), and `value` is published in a context above the
 *   application's, where every requirement of it resolves. The provider must provide nothing else
 *   that is not overridden too and have no children, else replace the component instead.
 * - `{ component: 'root.db', with: FakeDb }`: the component at that path (with its children) is
 *   replaced by `FakeDb`, which gets the options given there: if it declares no config class of
 *   its own, it accepts the replaced component's option names and ignores them.
 * To find the paths and the providers, the tree is built (not started) once beforehand.
 *
 * @example
 * const app = await startTestApp(AppComponent, { components: { web: { port: 0 } } }, {
 *   overrides: [
 *     { resource: Db, value: fakePool },
 *     { component: 'root.mailer', with: FakeMailer },
 *   ],
 * });
 * expect(providerOf(app, Db)).toBeUndefined(); // it came from the override
 * expectStartOrder(app, ['root.cache', 'root.web']);
 */
export async function startTestApp<O extends readonly Override[] = []>(
  root: ComponentType,
  config?: unknown,
  options: TestAppOptions<O> = {},
): Promise<Application> {
  const { overrides = [], ...rest } = options;
  const bootstrapOptions: BootstrapOptions = {
    ...rest,
    logger: rest.logger ?? silentLogger,
    startTimeout: rest.startTimeout ?? TEST_TIMEOUT_MS,
    stopTimeout: rest.stopTimeout ?? TEST_TIMEOUT_MS,
  };
  const plan = planOverrides(root, config, overrides as readonly Override[], bootstrapOptions);
  const app = await bootstrap(root, plan.config, { ...bootstrapOptions, context: plan.context });
  const state = registry();
  if (state.hooked) state.tracked.push({ app, until: state.inTest ? 'test' : 'file' });
  return app;
}
