import type { Requirement } from '../graph/graph-types';
import { describeKey, keyExpression, type ResourceKey } from '../resources/resource-key';
import type { ComponentRun } from './component-run';
import type { Logger } from './logger';

/**
 * What the startup logs about each component besides the lifecycle events: its publishes (debug,
 * with their descriptions; a warning for one published in the wrong phase), its waits for
 * another component's resources (debug, when the wait begins and when it ends) and the
 * slow-startup warning. Internal.
 */
export class StartupLog {
  /** Whether debug lines are wanted (a logger without `isLevelEnabled` gets them). */
  readonly debug: boolean;
  readonly #logger: Logger;
  readonly #now: () => number;
  /** When each logged wait for a requirement began. */
  readonly #waitsSince = new Map<Requirement, number>();

  constructor(logger: Logger, now: () => number) {
    this.#logger = logger;
    this.#now = now;
    this.debug = logger.isLevelEnabled?.('debug') !== false;
  }

  /** `run` published `keys` under `name` in `phase`. */
  published(run: ComponentRun, keys: readonly ResourceKey<unknown>[], name: string, description: string | undefined, isFactory: boolean): void {
    const { record } = run;
    const phase = run.startBegan ? 'start' : 'prepare';
    for (const key of keys) {
      const declared = record.provides.find((p) => p.key === key && p.name === name);
      if (declared?.phase === 'prepare' && phase === 'start') {
        this.#logger.warn(
          { path: record.path, key: describeKey(key), name },
          `${record.path} published ${describeKey(key)} '${name}' in start(), but the graph ordered its consumers after its ` +
            `prepare() (it overrides prepare()); declare @provides(${keyExpression(key)}, { phase: 'start' }) so that ` +
            `startOrder(), the cycle check and the stop order match what runs`,
        );
      }
    }
    if (!this.debug) return;
    const undeclared = keys.filter((key) => !record.provides.some((p) => p.key === key && p.name === name));
    const what = `${isFactory ? 'a resource factory for ' : ''}${keys.map(describeKey).join(', ')} '${name}'`;
    let text = `${record.path} published ${what}${description ? ` (${description})` : ''} in ${phase}()`;
    if (undeclared.length > 0) {
      const list = undeclared.length === keys.length ? '' : ` (${undeclared.map(describeKey).join(', ')})`;
      text += ` without declaring it${list} with @provides (allowed; declare it so that consumers can @requires it and start after it)`;
    }
    this.#logger.debug({ path: record.path, keys: keys.map(describeKey), name, description, factory: isFactory || undefined }, text);
  }

  /** `run` has to wait for `requirement`, which `from` has not published yet (debug). */
  waitBegins(run: ComponentRun, requirement: Requirement, from: ComponentRun): void {
    if (!this.debug) return;
    this.#waitsSince.set(requirement, this.#now());
    this.#logger.debug(
      { path: run.record.path, key: describeKey(requirement.key), name: requirement.name, from: from.record.path },
      `${run.record.path} is waiting for ${describeKey(requirement.key)} '${requirement.name}' from ${from.record.path}`,
    );
  }

  /**
   * The wait {@link waitBegins} logged is over. Logged a microtask later: the requirement arrives
   * while the provider's addResource() runs, before the provider's own "published" line.
   */
  waitEnds(run: ComponentRun, requirement: Requirement, from: string | undefined): void {
    if (!this.debug) return;
    queueMicrotask(() => {
      const since = this.#waitsSince.get(requirement);
      if (since === undefined) return;
      this.#waitsSince.delete(requirement);
      const ms = this.#now() - since;
      this.#logger.debug(
        { path: run.record.path, key: describeKey(requirement.key), name: requirement.name, ms: Math.round(ms) },
        `${run.record.path} got ${describeKey(requirement.key)} '${requirement.name}'${from ? ` from ${from}` : ''} after waiting ${ms.toFixed(1)} ms`,
      );
    });
  }

  /** The slow-startup warning: `run` has used half of its start timeout. */
  slow(run: ComponentRun, tree: string): void {
    this.#logger.warn(
      { path: run.record.path },
      `startup is slow: ${run.record.path} has used half of its start timeout (${run.record.startTimeout} ms). ` +
        `Components still starting:\n${tree}`,
    );
  }
}
