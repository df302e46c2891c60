import type { ResourceKey } from '../resources/resource-key';

/** A (key, name) pair: what is provided or required. */
export interface ResourceRef {
  readonly key: ResourceKey<unknown>;
  readonly name: string;
}

/** A resource a component declares it will publish (`@provides`). */
export interface Provision extends ResourceRef {
  readonly description?: string;
  /** Where it is published: as declared (`@provides(..., { phase })`), else as the graph assumes. */
  readonly phase?: 'prepare' | 'start';
}

/** A resource a component declares it needs before it can prepare (`@requires`). */
export interface Requirement extends ResourceRef {
  readonly optional: boolean;
  /** Set for the property form: `@requires(Logger) logger!: Logger`. */
  readonly property?: string;
}

/**
 * Where a component is in its life. `waiting`: for its requirements; `preparing`: in `prepare()`;
 * `starting children`; `starting`: in `start()`; `started`; then `stopping` and `stopped`.
 * `failed` marks the component whose failure ended startup.
 */
export type ComponentState =
  | 'created'
  | 'waiting'
  | 'preparing'
  | 'starting children'
  | 'starting'
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'failed';

/** Milliseconds since the application began starting, or `undefined` if not reached. */
export interface ComponentTimings {
  waitStart?: number;
  prepareStart?: number;
  prepareEnd?: number;
  startStart?: number;
  startEnd?: number;
  /** When the last of its declared `@provides` was published (consumers could go on from then). */
  readyAt?: number;
  stopStart?: number;
  stopEnd?: number;
}

/** One component in the graph. `path` is its aliases from the root, joined by dots. */
export interface GraphNode {
  readonly path: string;
  readonly alias: string;
  /** The component's class name (or the `module:Export` string it came from). */
  readonly type: string;
  readonly provides: readonly Provision[];
  readonly requires: readonly Requirement[];
  readonly parent: string | undefined;
  readonly children: readonly string[];
  readonly isolated: boolean;
  /** The path of the isolated component whose scope this component publishes into; '' for the root scope. */
  readonly scope: string;
  /**
   * Paths of the components it stops only after (its `stopAfter`, resolved): it starts before each
   * of them prepares, and begins stopping once each has stopped.
   */
  readonly stopAfter?: readonly string[];
  state: ComponentState;
  readonly timings: ComponentTimings;
}

/** `provider` publishes `resource`, which `consumer` requires. */
export interface GraphEdge {
  readonly provider: string;
  readonly consumer: string;
  readonly resource: ResourceRef;
  readonly optional: boolean;
  /**
   * When the provider publishes it, as far as the graph can tell before anything runs: `'prepare'`
   * when the provider overrides `prepare()`, else `'start'` (the default).
   */
  readonly publishedIn?: 'prepare' | 'start';
}
