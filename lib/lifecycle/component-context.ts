import { Context, type AddResourceFactoryOptions, type AddResourceOptions, type LookupOptions, type TeardownCallback } from '../context/context';
import { cachesLookups } from '../context/internal';
import { ContextStateError, TeardownError } from '../errors';
import { describeKey, type ResourceKey } from '../resources/resource-key';

/** Reports what a component published: the keys, the name, and in which phase. */
export type PublishListener = (keys: readonly ResourceKey<unknown>[], name: string) => void;

/**
 * The context a component's `prepare()` and `start()` receive. Lookups see the component's scope;
 * resources go into the scope (so siblings see them) under the component's default name, while
 * teardown callbacks and service tasks stay with the component, split by phase: what `start()`
 * registered is torn down before the component's children stop, what `prepare()` registered after.
 */
export class ComponentContext extends Context {
  readonly #publishTo: Context;
  readonly #defaultName: string;
  readonly #onPublish: PublishListener;
  #inStartPhase = false;
  #startTeardowns: TeardownCallback[] | undefined;
  #waits: Set<string> | undefined;

  constructor(scope: Context, defaultName: string, onPublish: PublishListener) {
    super(scope);
    this[cachesLookups] = false;
    this.#publishTo = scope;
    this.#defaultName = defaultName;
    this.#onPublish = onPublish;
  }

  override addResource<T>(value: T, options: AddResourceOptions<T> = {}): void {
    this.#assertUsable('add a resource');
    const { teardown } = options;
    const name = options.name ?? this.#defaultName;
    this.#publishTo.addResource(value, teardown === undefined && options.name === name ? options : { types: options.types, description: options.description, name });
    if (teardown) this.addTeardownCallback((error) => teardown(value, error));
    const types = options.types?.length ? options.types : [(value as { constructor: ResourceKey<unknown> }).constructor];
    this.#onPublish(types, name);
  }

  override addResourceFactory<T>(factory: () => T | Promise<T>, options: AddResourceFactoryOptions<T>): void {
    this.#assertUsable('add a resource factory');
    const name = options?.name ?? this.#defaultName;
    this.#publishTo.addResourceFactory(factory, { ...options, name });
    this.#onPublish(options.types, name);
  }

  override addTeardownCallback(callback: TeardownCallback): void {
    if (this.#inStartPhase && this.state === 'open') (this.#startTeardowns ??= []).push(callback);
    else super.addTeardownCallback(callback);
  }

  override getResource<T>(key: ResourceKey<T>, name?: string): Promise<T>;
  override getResource<T>(key: ResourceKey<T>, name: string | undefined, options: { optional: true }): Promise<T | undefined>;
  override getResource<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): Promise<T | undefined>;
  override async getResource<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): Promise<T | undefined> {
    const label = `ctx.getResource(${describeKey(key)} '${name ?? 'default'}')`;
    const waits = this.waits;
    waits.add(label);
    try {
      return await super.getResource(key, name, options);
    } finally {
      waits.delete(label);
    }
  }

  /** The `getResource` calls (and bridge waits) in progress, for the startup timeout tree. */
  get waits(): Set<string> {
    return (this.#waits ??= new Set());
  }

  /** Internal: what `waits` holds, without making it. */
  get pendingWaits(): readonly string[] {
    return this.#waits === undefined ? [] : [...this.#waits];
  }

  /** Internal: whether the start phase registered anything to tear down. */
  get hasStartTeardowns(): boolean {
    return (this.#startTeardowns?.length ?? 0) > 0;
  }

  /** Internal: from now on teardown callbacks belong to the start phase. */
  enterStartPhase(): void {
    this.#inStartPhase = true;
  }

  /** Internal: runs the start phase's teardown callbacks (LIFO), keeping the context open. */
  async closeStartPhase(error: unknown): Promise<void> {
    this.#inStartPhase = false;
    const callbacks = this.#startTeardowns ?? [];
    this.#startTeardowns = undefined;
    const failures: unknown[] = [];
    for (let callback = callbacks.pop(); callback; callback = callbacks.pop()) {
      try {
        await this.run(() => callback(error));
      } catch (failure) {
        failures.push(failure);
      }
    }
    if (failures.length > 0) {
      const list = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
      throw new TeardownError(failures, `${failures.length} teardown step(s) of start() failed: ${list}`);
    }
  }

  #assertUsable(action: string): void {
    if (this.state !== 'closed') return;
    throw new ContextStateError(`cannot ${action}: the component has been stopped; its context is closed`);
  }
}
