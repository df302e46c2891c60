import type { ResourceKey } from '../resources/resource-key';

/** A resource name, or a function of the component's config that gives one. */
export type NameSpec<C = never> = string | ((config: C) => string);

/** What `@provides` records. */
export interface ProvidesDeclaration {
  readonly key: ResourceKey<unknown>;
  readonly name?: NameSpec;
  readonly description?: string;
  readonly phase?: 'prepare' | 'start';
}

/** What `@requires` records (class or property form). */
export interface RequiresDeclaration {
  readonly key: ResourceKey<unknown>;
  readonly name?: NameSpec;
  readonly optional: boolean;
  readonly property?: string;
}

/** Options of `@component(...)`; each can be overridden from config. */
export interface ComponentOptions {
  /** Milliseconds that the component's own prepare() and start() may take together. */
  startTimeout?: number;
  /** Milliseconds that tearing the component down may take. */
  stopTimeout?: number;
  /** Give the subtree its own scope: only what this component @provides is visible outside. */
  isolated?: boolean;
  /** The config class, for when the constructor's parameter type cannot be read. */
  config?: abstract new (...args: never[]) => object;
  /**
   * Components this one stops only after (and so starts before): names relative to its parent,
   * as in YAML's `components:`, e.g. `['http']` for a sibling, `['api.http']` for a sibling's child.
   */
  stopAfter?: readonly string[];
}

/** Everything the decorators recorded on one class (inherited declarations included). */
export interface ComponentMetadata {
  readonly provides: readonly ProvidesDeclaration[];
  readonly requires: readonly RequiresDeclaration[];
  readonly options: ComponentOptions;
}

interface OwnMetadata {
  provides: ProvidesDeclaration[];
  requires: RequiresDeclaration[];
  options: ComponentOptions;
}

const store = new WeakMap<object, OwnMetadata>();
/** Merged metadata per class, valid while no decorator has written since (`version`). */
const merged = new WeakMap<object, { version: number; meta: ComponentMetadata }>();
let version = 0;

const classDecorated = new WeakSet<object>();

/** Records that `@component` decorated `target`: TypeScript then emits its constructor's parameter types (with emitDecoratorMetadata). */
export function markClassDecorated(target: object): void {
  classDecorated.add(target);
}

/** Whether a class decorator of asphalt-ts (`@component`, `@provides`, class-form `@requires`) decorated `type` itself. */
export function hasClassDecorator(type: object): boolean {
  const own = store.get(type);
  return classDecorated.has(type) || (own !== undefined && (own.provides.length > 0 || own.requires.some((r) => r.property === undefined)));
}

/** The metadata a decorator writes to (the class's own, not its base's). */
export function ownMetadata(target: object): OwnMetadata {
  version++;
  let meta = store.get(target);
  if (meta === undefined) store.set(target, (meta = { provides: [], requires: [], options: {} }));
  return meta;
}

/** The declarations of `type` and of its base classes, base first. */
export function componentMetadata(type: abstract new (...args: never[]) => unknown): ComponentMetadata {
  const cached = merged.get(type);
  if (cached?.version === version) return cached.meta;
  const chain: OwnMetadata[] = [];
  for (let t: unknown = type; typeof t === 'function' && t !== Function.prototype; t = Object.getPrototypeOf(t)) {
    const meta = store.get(t);
    if (meta) chain.unshift(meta);
  }
  // The usual class declares everything itself: its own lists serve as they are (the cache entry
  // is dropped as soon as a decorator writes again).
  const meta: ComponentMetadata =
    chain.length === 1
      ? chain[0]!
      : {
          provides: chain.flatMap((m) => m.provides),
          requires: chain.flatMap((m) => m.requires),
          options: Object.assign({}, ...chain.map((m) => m.options)) as ComponentOptions,
        };
  merged.set(type, { version, meta });
  return meta;
}
