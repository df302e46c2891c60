import { Context, type AddResourceFactoryOptions, type AddResourceOptions } from '../context/context';
import type { ContextOwner } from '../context/context-owner';
import { attachOwner, ownerOf } from '../context/internal';
import { TeardownStack, type AbandonedTeardown, type TeardownCallback } from '../context/teardown-stack';
import { ContextStateError, TeardownError } from '../errors';
import type { ResourceKey } from '../resources/resource-key';
import type { Logger } from './logger';
import type { SuspensionSites } from './suspension-sites';

/** Reports what a component published: the keys, the name, the description, and whether it is a factory. */
export type PublishListener = (keys: readonly ResourceKey<unknown>[], name: string, description: string | undefined, isFactory: boolean) => void;

/**
 * Wraps the context a component's `prepare()` and `start()` receive (a child of the component's
 * scope). Lookups are the context's own; publishing goes into the scope (so siblings see it) under
 * the component's default name; teardown callbacks registered during `start()` are kept apart, to
 * run before the component's children stop, while those of `prepare()` run when the context
 * closes, after them. Internal.
 */
export class ComponentContext implements ContextOwner {
  /** The component context that wraps `ctx`, if `ctx` is a component's. */
  static of(ctx: Context): ComponentContext | undefined {
    const owner = ctx[ownerOf]();
    return owner instanceof ComponentContext ? owner : undefined;
  }

  readonly ctx: Context;
  readonly #scope: Context;
  readonly #defaultName: string;
  readonly #onPublish: PublishListener;
  #startPhase: TeardownStack | undefined;
  #inStartPhase = false;
  #waits: Set<string> | undefined;
  #silent = false;
  /** Set while its prepare() or start() runs: where that code awaits (for the stall report). */
  suspensionSites: SuspensionSites | undefined;
  /** The application logger tagged with the component's path, made on first lookup of `Logger`. */
  logger: Logger | undefined;

  constructor(
    scope: Context,
    defaultName: string,
    onPublish: PublishListener,
    /** The component's path (`root.db`). */
    readonly path: string,
  ) {
    this.ctx = new Context(scope);
    this.ctx[attachOwner](this);
    this.#scope = scope;
    this.#defaultName = defaultName;
    this.#onPublish = onPublish;
  }

  addResource<T>(value: T, options: AddResourceOptions<T>): void {
    this.#assertUsable('add a resource');
    const { teardown } = options;
    const name = options.name ?? this.#defaultName;
    this.#scope.addResource(value, { types: options.types, description: options.description, name });
    if (teardown) this.ctx.addTeardownCallback((error) => teardown(value, error));
    const types = options.types?.length ? options.types : [(value as { constructor: ResourceKey<unknown> }).constructor];
    this.#onPublish(types, name, options.description, false);
  }

  addResourceFactory<T>(factory: () => T | Promise<T>, options: AddResourceFactoryOptions<T>): void {
    this.#assertUsable('add a resource factory');
    const name = options?.name ?? this.#defaultName;
    this.#scope.addResourceFactory(factory, { ...options, name });
    this.#onPublish(options.types, name, options?.description, true);
  }

  takeTeardown(callback: TeardownCallback): boolean {
    if (!this.#inStartPhase) return false;
    (this.#startPhase ??= new TeardownStack()).push(callback);
    return true;
  }

  track<T>(label: string, work: Promise<T>): Promise<T> {
    return this.#silent ? work : this.#tracked(label, work);
  }

  /** A lookup that the pending tree shows from the component's unmet requirements, not as a wait. */
  lookupRequirement(key: ResourceKey<unknown>, name: string, optional: boolean): Promise<unknown> {
    this.#silent = true;
    try {
      return this.ctx.getResource(key, name, { optional });
    } finally {
      this.#silent = false;
    }
  }

  async #tracked<T>(label: string, work: Promise<T>): Promise<T> {
    const waits = (this.#waits ??= new Set());
    waits.add(label);
    try {
      return await work;
    } finally {
      waits.delete(label);
    }
  }

  /** What the component waits for (its `getResource` calls and `reportWaiting` work in progress). */
  get pendingWaits(): readonly string[] {
    return this.#waits === undefined ? [] : [...this.#waits];
  }

  /** Whether the start phase registered anything to tear down. */
  get hasStartTeardowns(): boolean {
    return (this.#startPhase?.size ?? 0) > 0;
  }

  /** From now on teardown callbacks belong to the start phase. */
  enterStartPhase(): void {
    this.#inStartPhase = true;
  }

  /** Runs the start phase's teardown callbacks (LIFO), keeping the context open. */
  async closeStartPhase(error: unknown): Promise<void> {
    this.#inStartPhase = false;
    const stack = this.#startPhase;
    if (stack === undefined) return;
    const failures = await stack.run(error, (fn) => this.ctx.run(fn));
    if (failures.length > 0) {
      const list = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
      throw new TeardownError(failures, `${failures.length} teardown step(s) of start() failed: ${list}`);
    }
  }

  /** Stops waiting for the start phase's teardown in progress; see `TeardownStack.abandon`. */
  abandonStartPhase(): AbandonedTeardown | undefined {
    return this.#startPhase?.abandon();
  }

  #assertUsable(action: string): void {
    if (this.ctx.state !== 'closed') return;
    throw new ContextStateError(`cannot ${action}: the component has been stopped; its context is closed`);
  }
}
