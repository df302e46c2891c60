import { AsyncLocalStorage } from 'node:async_hooks';
import { Container } from 'inversify';
import {
  AsyncResourceError,
  ContextStateError,
  InvalidResourceError,
  NoCurrentContextError,
  ResourceConflictError,
  ResourceNotFoundError,
  TeardownError,
} from '../errors';
import { Signal } from '../events/signal';
import type { ResourceEvent } from '../resources/resource-event';
import { describeKey, isResourceKey, type ResourceKey } from '../resources/resource-key';
import { checkResourceName, DEFAULT_NAME } from '../resources/resource-name';
import { serviceId, serviceIdsOf } from '../resources/service-id';
import { closestMatch } from '../util/closest-match';
import { startServiceTask, type ServiceTaskOptions, type TaskHandle } from './service-task';
import type { TaskFailedEvent } from './task-failed-event';
import { Announcement } from './announcement';
import { describeValue, FactoryRecord, isAsyncFunction, isPromiseLike, type OwnEntry } from './factory-record';
import { announce, cachesLookups, closeIfIdle, contextLabel, hasOwnResource, isVisible, reportTaskFailure } from './internal';

/** `open`: usable; `closing`: teardown callbacks are running; `closed`: done. */
export type ContextState = 'open' | 'closing' | 'closed';

/** Called at teardown with the error that ended the context, or `undefined`. */
export type TeardownCallback = (error: unknown) => unknown;

/** Options of {@link Context.addResource}. */
export interface AddResourceOptions<T> {
  /** Defaults to `'default'`. Must match `/^\w+$/`. */
  name?: string;
  /** Keys to publish under; defaults to the value's own class. */
  types?: readonly ResourceKey<T>[];
  description?: string;
  /** Runs when the context closes, in LIFO order with the other teardown callbacks. */
  teardown?: (value: T, error: unknown) => unknown;
}

/** Options of {@link Context.addResourceFactory}. */
export interface AddResourceFactoryOptions<T> {
  /** Keys to publish under (required: TypeScript has no run-time return types). */
  types: readonly ResourceKey<T>[];
  name?: string;
  description?: string;
  /**
   * Tears the built value down with the context that built it. Without it, a value with
   * `Symbol.asyncDispose` or `Symbol.dispose` is disposed.
   */
  teardown?: (value: T, error: unknown) => unknown;
}

/** Options of lookups. `optional: true` gives `undefined` instead of `ResourceNotFoundError`. */
export interface LookupOptions {
  optional?: boolean;
}

const storage = new AsyncLocalStorage<Context>();

/**
 * Holds resources keyed by (key, name) and the callbacks that tear them down. A child context
 * (`ctx.child()`) sees its parent's resources; the parent never sees the child's. Each context is
 * backed by an inversify container, and a child context by a child container.
 *
 * @example
 * await using ctx = new Context();
 * ctx.addResource(new Pool(), { types: [Db] });
 * const db = await ctx.getResource(Db);
 */
export class Context implements AsyncDisposable {
  readonly parent: Context | undefined;
  #state: ContextState = 'open';
  #container: Container | undefined;
  /** What this context itself holds, by service id (one per key and name): values and factory records. */
  #own: Map<symbol, OwnEntry> | undefined;
  /** Values visible here (own, parents', built here), by key, for name 'default' ... */
  #defaults: Map<ResourceKey<unknown>, unknown> | undefined;
  /** ... and for the other names. */
  #named: Map<ResourceKey<unknown>, Map<string, unknown>> | undefined;
  #building: Map<FactoryRecord, Promise<unknown>> | undefined;
  #announced: Map<symbol, Announcement> | undefined;
  #teardowns: TeardownCallback[] | undefined;
  #children: Set<Context> | undefined;
  #closing: Promise<void> | undefined;
  #resourceAdded: Signal<ResourceEvent> | undefined;
  #taskFailed: Signal<TaskFailedEvent> | undefined;
  /** Internal: see `labelContext`. */
  [contextLabel]: string | undefined = undefined;
  /** Internal: whether values found through lookups are kept here (a component's context does not). */
  [cachesLookups] = true;

  constructor(parent?: Context) {
    if (parent !== undefined) {
      if (!(parent instanceof Context)) {
        throw new InvalidResourceError(`new Context(parent): parent must be a Context, got ${typeof parent}`);
      }
      parent.#assertState('create a child context', 'open');
      (parent.#children ??= new Set()).add(this);
    }
    this.parent = parent;
  }

  /** The context the running code belongs to (entered with {@link Context.run}). Throws outside. */
  static current(): Context {
    const ctx = storage.getStore();
    if (ctx === undefined) {
      throw new NoCurrentContextError(
        'there is no current context: this code runs outside ctx.run(...), a component\'s prepare()/start() ' +
          'and a service task; pass the context explicitly or wrap the call in ctx.run(() => ...)',
      );
    }
    return ctx;
  }

  /** Like {@link Context.current}, but `undefined` outside of any context. */
  static tryCurrent(): Context | undefined {
    return storage.getStore();
  }

  get state(): ContextState {
    return this.#state;
  }

  /** Fires when a resource or factory is added to this context. */
  get resourceAdded(): Signal<ResourceEvent> {
    return (this.#resourceAdded ??= new Signal<ResourceEvent>({ name: 'resourceAdded' }));
  }

  /** Fires when a service task of this context, or of a descendant, fails while running. */
  get taskFailed(): Signal<TaskFailedEvent> {
    return (this.#taskFailed ??= new Signal<TaskFailedEvent>({ name: 'taskFailed' }));
  }

  /** A new child context: it sees this context's resources; this one never sees the child's. */
  child(): Context {
    return new Context(this);
  }

  /** Runs `fn` with this context as {@link Context.current}, across every `await` inside it. */
  run<R>(fn: () => R): R {
    return storage.run(this, fn);
  }

  /**
   * Publishes `value` under each of `types` (default: its class) and `name` (default `'default'`).
   * @throws ResourceConflictError when this context already has one of those keys with that name.
   */
  addResource<T>(value: T, options: AddResourceOptions<T> = {}): void {
    this.#assertState('add a resource', 'open', 'closing');
    if (value === null || value === undefined) {
      throw new InvalidResourceError(
        `addResource: the value is ${value}; a resource must be a value (publish an object, or use ` +
          `{ optional: true } on the consumer's side to model absence)`,
      );
    }
    const name = checkResourceName(options.name ?? DEFAULT_NAME, 'addResource');
    const keys = this.#keysFor(value, options.types, 'addResource');
    const description = options.description;
    this.#assertFree(keys, name, value, description);
    const container = this.#containerOrCreate();
    const own = (this.#own ??= new Map());
    for (const key of keys) {
      const id = serviceId(key, name);
      own.set(id, { value, description });
      container.bind(id).toConstantValue(value);
      this.#cache(key, name, value);
      this.#announced?.get(id)?.fulfil();
    }
    if (options.teardown) {
      const teardown = options.teardown;
      (this.#teardowns ??= []).push((error) => teardown(value, error));
    }
    this.#resourceAdded?.dispatch({ keys, name, description: options.description, isFactory: false });
  }

  /**
   * Adds a factory: the first lookup from a context builds the value (sync or async) and keeps it
   * in that context, so a child context that asks builds its own. Refused once teardown has begun.
   */
  addResourceFactory<T>(factory: () => T | Promise<T>, options: AddResourceFactoryOptions<T>): void {
    this.#assertState('add a resource factory', 'open');
    if (typeof factory !== 'function') {
      throw new InvalidResourceError(`addResourceFactory: factory must be a function, got ${typeof factory}`);
    }
    const name = checkResourceName(options?.name ?? DEFAULT_NAME, 'addResourceFactory');
    if (!options?.types || options.types.length === 0) {
      throw new InvalidResourceError(
        'addResourceFactory: give the keys it publishes under, e.g. addResourceFactory(() => new Pool(), ' +
          '{ types: [Db] }); TypeScript has no run-time return types to read them from',
      );
    }
    const keys = this.#keysFor(undefined, options.types, 'addResourceFactory');
    const record = new FactoryRecord(factory, keys, name, options.description, options.teardown);
    const description = options.description;
    this.#assertFree(keys, name, record, description);
    const container = this.#containerOrCreate();
    const own = (this.#own ??= new Map());
    for (const key of keys) {
      const id = serviceId(key, name);
      own.set(id, { value: record, description });
      container.bind(id).toConstantValue(record);
      this.#announced?.get(id)?.fulfil();
    }
    this.#resourceAdded?.dispatch({ keys, name, description: options.description, isFactory: true });
  }

  /**
   * The resource with this key and name. Builds it from a factory (awaited) when needed, and waits
   * for one that has been announced but not yet published (during startup).
   * @throws ResourceNotFoundError when nothing visible matches, unless `optional` is set.
   */
  getResource<T>(key: ResourceKey<T>, name?: string): Promise<T>;
  getResource<T>(key: ResourceKey<T>, name: string | undefined, options: { optional: true }): Promise<T | undefined>;
  getResource<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): Promise<T | undefined>;
  getResource<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): Promise<T | undefined> {
    const hit = name === undefined || name === 'default' ? this.#defaults?.get(key) : this.#named?.get(key)?.get(name);
    return hit !== undefined ? Promise.resolve(hit as T) : this.#lookup(key, name ?? DEFAULT_NAME, options);
  }

  async #lookup<T>(key: ResourceKey<T>, name: string, options: LookupOptions | undefined): Promise<T | undefined> {
    for (;;) {
      const found = this.#find(key, name, 'getResource');
      if (found instanceof FactoryRecord) return (await this.#build(found)) as T;
      if (found !== undefined) return found as T;
      const pending = this.#findAnnouncement(key, name);
      if (pending === undefined) return this.#miss(key, name, options);
      await pending.promise;
    }
  }

  /**
   * The synchronous lookup: like {@link Context.getResource} but never waits.
   * @throws AsyncResourceError when the value comes from an async factory or is not published yet.
   */
  getResourceNowait<T>(key: ResourceKey<T>, name?: string): T;
  getResourceNowait<T>(key: ResourceKey<T>, name: string | undefined, options: { optional: true }): T | undefined;
  getResourceNowait<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): T | undefined;
  getResourceNowait<T>(key: ResourceKey<T>, name?: string, options?: LookupOptions): T | undefined {
    // Kept tiny so V8 inlines it: only the cache hit is here, the rest is in #lookupNowait.
    const hit = name === undefined || name === 'default' ? this.#defaults?.get(key) : this.#named?.get(key)?.get(name);
    return hit !== undefined ? (hit as T) : this.#lookupNowait(key, name ?? DEFAULT_NAME, options);
  }

  #lookupNowait<T>(key: ResourceKey<T>, name: string, options: LookupOptions | undefined): T | undefined {
    const found = this.#find(key, name, 'getResourceNowait');
    if (found instanceof FactoryRecord) {
      if (!isAsyncFunction(found.factory)) {
        const value = this.#build(found);
        if (!isPromiseLike(value)) return value as T;
      }
      throw new AsyncResourceError(
        `getResourceNowait: ${describeKey(key)} '${name}' comes from an async factory; use ` +
          `await ctx.getResource(${describeKey(key)}${name === DEFAULT_NAME ? '' : `, '${name}'`}) instead`,
      );
    }
    if (found !== undefined) return found as T;
    const pending = this.#findAnnouncement(key, name);
    if (pending !== undefined) {
      throw new AsyncResourceError(
        `getResourceNowait: ${describeKey(key)} '${name}' is not published yet (${pending.provider} will ` +
          `provide it); use await ctx.getResource(...) to wait for it`,
      );
    }
    return this.#miss(key, name, options);
  }

  /** Every value published under `key` that is visible here, by name (factories are not run). */
  getResources<T>(key: ResourceKey<T>): ReadonlyMap<string, T> {
    this.#assertState('look up resources', 'open', 'closing');
    const result = new Map<string, T>();
    const chain: Context[] = [];
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) chain.unshift(ctx);
    for (const ctx of chain) {
      if (ctx.#own === undefined) continue;
      for (const [name, id] of serviceIdsOf(key)) {
        const entry = ctx.#own.get(id);
        if (entry !== undefined && !(entry.value instanceof FactoryRecord)) result.set(name, entry.value as T);
      }
    }
    for (const [name, value] of this.#named?.get(key) ?? []) result.set(name, value as T);
    const own = this.#defaults?.get(key);
    if (own !== undefined) result.set(DEFAULT_NAME, own as T);
    return result;
  }

  /** Registers `callback` to run at teardown (LIFO), with the error that ended the context. */
  addTeardownCallback(callback: TeardownCallback): void {
    this.#assertState('add a teardown callback', 'open', 'closing');
    if (typeof callback !== 'function') {
      throw new InvalidResourceError(`addTeardownCallback: expected a function, got ${typeof callback}`);
    }
    (this.#teardowns ??= []).push(callback);
  }

  /**
   * Runs `fn(signal)` for as long as this context is open. At teardown the signal is aborted (or
   * `options.teardown` runs) and the task is awaited, in LIFO order with the teardown callbacks.
   */
  startServiceTask(name: string, fn: (signal: AbortSignal) => unknown, options?: ServiceTaskOptions): TaskHandle {
    this.#assertState('start a service task', 'open');
    return startServiceTask(this, name, fn, options);
  }

  /**
   * Closes open child contexts, then runs every teardown callback last-in-first-out, one at a
   * time, each with `error`. All run even when some throw; the failures are thrown together as a
   * {@link TeardownError}. Calling it again returns the same promise.
   */
  close(error?: unknown): Promise<void> {
    return (this.#closing ??= this.#teardown(error));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #teardown(error: unknown): Promise<void> {
    this.#state = 'closing';
    const failures: unknown[] = [];
    for (const child of [...(this.#children ?? [])].reverse()) {
      try {
        await child.close(error);
      } catch (failure) {
        failures.push(failure);
      }
    }
    for (const pending of this.#announced?.values() ?? []) {
      if (!pending.settled) pending.fail(error ?? new ContextStateError('the context closed before it was published'));
    }
    const callbacks = this.#teardowns ?? [];
    for (let callback = callbacks.pop(); callback; callback = callbacks.pop()) {
      try {
        await this.run(() => callback(error));
      } catch (failure) {
        failures.push(failure);
      }
    }
    this.#state = 'closed';
    this.#defaults = undefined;
    this.#named = undefined;
    this.#building = undefined;
    if (this.parent) this.parent.#forget(this);
    if (failures.length > 0) {
      const list = failures.map((f, i) => `  ${i + 1}. ${f instanceof Error ? `${f.name}: ${f.message}` : String(f)}`);
      throw new TeardownError(failures, `${failures.length} teardown step(s) failed:\n${list.join('\n')}`);
    }
  }

  /** Internal: promise that `key`/`name` will be published here, so `getResource` waits for it. */
  [announce](key: ResourceKey<unknown>, name: string, provider: string): Announcement {
    this.#assertState('announce a resource', 'open');
    const id = serviceId(key, name);
    const existing = this.#announced?.get(id);
    if (existing !== undefined && !existing.settled) {
      throw new ResourceConflictError(
        `${describeKey(key)} '${name}' is announced by both ${existing.provider} and ${provider}; ` +
          `give one of them another resource name`,
      );
    }
    const announcement = new Announcement(provider, key, name);
    (this.#announced ??= new Map()).set(id, announcement);
    if (this.#own?.has(id)) announcement.fulfil();
    return announcement;
  }

  /**
   * Internal: closes the context at once, without a promise chain, when its teardown has nothing
   * to run (no callbacks, no open children, no pending announcements). False when it has work.
   */
  [closeIfIdle](_error: unknown): boolean {
    if (this.#closing !== undefined) return this.#state === 'closed';
    if ((this.#teardowns?.length ?? 0) > 0 || (this.#children?.size ?? 0) > 0) return false;
    for (const pending of this.#announced?.values() ?? []) if (!pending.settled) return false;
    this.#state = 'closed';
    this.#closing = Promise.resolve();
    this.#defaults = undefined;
    this.#named = undefined;
    this.#building = undefined;
    if (this.parent) this.parent.#forget(this);
    return true;
  }

  /** Internal: whether this context itself (not a parent) holds `key`/`name`. */
  [hasOwnResource](key: ResourceKey<unknown>, name: string): boolean {
    return this.#own?.has(serviceId(key, name)) ?? false;
  }

  /** Internal: whether a value or factory for `key`/`name` is held here or in a parent (runs no factory). */
  [isVisible](key: ResourceKey<unknown>, name: string): boolean {
    const id = serviceId(key, name);
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) {
      if (ctx.#own?.has(id)) return true;
    }
    return false;
  }

  /** Internal: delivers a service task failure to this context's and its ancestors' listeners. */
  [reportTaskFailure](event: TaskFailedEvent): void {
    let delivered = false;
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) {
      const signal = ctx.#taskFailed;
      if (signal !== undefined && signal.listenerCount > 0) {
        signal.dispatch(event);
        delivered = true;
      }
    }
    if (!delivered) process.emitWarning(event.error);
  }

  #assertState(action: string, ...allowed: ContextState[]): void {
    if (allowed.includes(this.#state)) return;
    throw new ContextStateError(
      `cannot ${action}: the context is ${this.#state}` +
        (this.#state === 'closing' ? ' (its teardown is running)' : '') +
        '; do this while the context is open, or use a new context',
    );
  }

  #keysFor(value: unknown, types: readonly unknown[] | undefined, where: string): ResourceKey<unknown>[] {
    if (types === undefined || types.length === 0) {
      const ctor = (value as { constructor?: unknown }).constructor;
      if (typeof value !== 'object' || typeof ctor !== 'function' || ctor === Object) {
        throw new InvalidResourceError(
          `${where}: cannot tell which key to publish ${describeValue(value, undefined)} under; pass ` +
            `{ types: [SomeClass] } or a token, e.g. { types: [token<Config>('Config')] }`,
        );
      }
      return [ctor as ResourceKey<unknown>];
    }
    for (const key of types) {
      if (!isResourceKey(key)) {
        throw new InvalidResourceError(
          `${where}: ${String(key)} is not a resource key; use a class or a token created with token<T>('Id')`,
        );
      }
    }
    return types.length === 1 ? (types as ResourceKey<unknown>[]) : [...new Set(types as ResourceKey<unknown>[])];
  }

  #assertFree(keys: readonly ResourceKey<unknown>[], name: string, value: unknown, description: string | undefined): void {
    for (const key of keys) {
      const existing = this.#own?.get(serviceId(key, name));
      if (existing !== undefined) {
        throw new ResourceConflictError(
          `this context already has ${describeKey(key)} '${name}' (${describeValue(existing.value, existing.description)}); ` +
            `${describeValue(value, description)} was not added. Publish it under another name ({ name: 'other' }) or in a child context`,
        );
      }
    }
  }

  #cache(key: ResourceKey<unknown>, name: string, value: unknown): void {
    if (name === DEFAULT_NAME) {
      (this.#defaults ??= new Map()).set(key, value);
      return;
    }
    const named = (this.#named ??= new Map());
    let byName = named.get(key);
    if (byName === undefined) named.set(key, (byName = new Map()));
    byName.set(name, value);
  }

  /** This context's container, created (with its ancestors' containers) on its first binding. */
  #containerOrCreate(): Container {
    return (this.#container ??= new Container(
      this.parent ? { parent: this.parent.#containerOrCreate() } : undefined,
    ));
  }

  /**
   * The context lookups from here go through: the nearest one in the chain with a container. A
   * context that binds nothing itself (a component's context, a request's) needs no container of
   * its own, which keeps inversify from invalidating thousands of child-container caches on every
   * publish.
   */
  #binder(): Context | undefined {
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) if (ctx.#container) return ctx;
    return undefined;
  }

  #forget(child: Context): void {
    this.#children?.delete(child);
  }

  /** The value (cached here) or factory record visible from this context, through inversify. */
  #find(key: ResourceKey<unknown>, name: string, where: string): unknown {
    this.#assertState('look up a resource', 'open', 'closing');
    if (!isResourceKey(key)) {
      throw new InvalidResourceError(
        `${where}: ${String(key)} is not a resource key; use a class or a token created with token<T>('Id')`,
      );
    }
    if (typeof name !== 'string') checkResourceName(name, where);
    const binder = this.#binder();
    if (binder === undefined) return undefined;
    const id = serviceId(key, name);
    // The binder's own value is what its container would answer with: no need to ask inversify.
    // Inversify resolves everything else (values of outer contexts, factories, shadowing).
    const own = binder === this ? undefined : binder.#own?.get(id);
    const found: unknown =
      own !== undefined && !(own.value instanceof FactoryRecord) ? own.value : binder.#container!.get(id, { optional: true });
    if (found !== undefined && !(found instanceof FactoryRecord) && this[cachesLookups]) this.#cache(key, name, found);
    return found;
  }

  #build(record: FactoryRecord): unknown {
    const inFlight = this.#building?.get(record);
    if (inFlight !== undefined) return inFlight;
    const store = (value: unknown): unknown => {
      this.#building?.delete(record);
      if (value === null || value === undefined) {
        throw new InvalidResourceError(
          `the factory for ${record.keys.map(describeKey).join(', ')} '${record.name}' returned ${value}; ` +
            'a factory must return a value',
        );
      }
      for (const key of record.keys) this.#cache(key, record.name, value);
      const teardown = record.teardown as ((value: unknown, error: unknown) => unknown) | undefined;
      const teardowns = (this.#teardowns ??= []);
      if (teardown) teardowns.push((error) => teardown(value, error));
      else if (typeof value === 'object') {
        const disposable = value as Partial<AsyncDisposable & Disposable>;
        const dispose = disposable[Symbol.asyncDispose] ?? disposable[Symbol.dispose];
        if (typeof dispose === 'function') teardowns.push(() => dispose.call(value));
      }
      return value;
    };
    const result = this.run(record.factory);
    if (!isPromiseLike(result)) return store(result);
    const promise = Promise.resolve(result).then(store, (failure: unknown) => {
      this.#building?.delete(record);
      throw failure;
    });
    (this.#building ??= new Map()).set(record, promise);
    return promise;
  }

  #findAnnouncement(key: ResourceKey<unknown>, name: string): Announcement | undefined {
    const id = serviceId(key, name);
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) {
      const pending = ctx.#announced?.get(id);
      if (pending !== undefined) return pending;
    }
    return undefined;
  }

  #miss(key: ResourceKey<unknown>, name: string, options: LookupOptions | undefined): undefined {
    if (options?.optional) return undefined;
    const names = new Set<string>();
    for (let ctx: Context | undefined = this; ctx; ctx = ctx.parent) {
      for (const [n, id] of serviceIdsOf(key)) if (ctx.#own?.has(id)) names.add(n);
    }
    const keyText = describeKey(key);
    const hint =
      names.size > 0
        ? `names that exist for ${keyText}: ${[...names].sort().map((n) => `'${n}'`).join(', ')}; did you mean ` +
          `'${closestMatch(name, [...names])}'?`
        : `nothing is published under ${keyText} in this context or its parents; add it with ` +
          `ctx.addResource(value, { types: [${keyText}] }), or declare a component that @provides(${keyText})`;
    throw new ResourceNotFoundError(`no resource ${keyText} named '${name}': ${hint}`, keyText, name);
  }
}
