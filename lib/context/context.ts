import { AsyncLocalStorage } from 'node:async_hooks';
import type { Container } from 'inversify';
import {
  AsyncResourceError,
  ContextAbortedError,
  ContextStateError,
  InvalidResourceError,
  NoCurrentContextError,
  TeardownError,
} from '../errors';
import { Signal } from '../events/signal';
import type { ResourceEvent } from '../resources/resource-event';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { checkResourceName, DEFAULT_NAME } from '../resources/resource-name';
import { checkKey, conflict, keysFor, notFound, notYet } from './context-messages';
import { ContextContainer } from './context-container';
import type { ContextOwner } from './context-owner';
import { FactoryBuilds } from './factory-builds';
import { FactoryRecord } from './factory-record';
import { abandonClose, attachOwner, closeIfIdle, contextLabel, openChildren, ownerOf, transactionScope } from './internal';
import { entriesInChain, findAnnouncement, findEntry, isVisible, namesInChain, provideContextParts, valuesInChain } from './context-chain';
import type { TransactionScope } from './transaction-scope';
import { lookupGeneration } from './lookup-generation';
import { ResourceRegistry, type RegistryEntry } from './resource-registry';
import { startServiceTask, type ServiceTaskOptions, type TaskHandle } from './service-task';
import type { TaskFailedEvent } from './task-failed-event';
import { describeTeardownFailures, TeardownStack, type AbandonedTeardown, type TeardownCallback } from './teardown-stack';

export type { TeardownCallback } from './teardown-stack';
export type { AddResourceFactoryOptions, AddResourceOptions } from './resource-options';
import type { AddResourceFactoryOptions, AddResourceOptions } from './resource-options';

/** `open`: usable; `closing`: teardown callbacks are running; `closed`: done. */
export type ContextState = 'open' | 'closing' | 'closed';

/** Options of lookups. `optional: true` gives `undefined` instead of `ResourceNotFoundError`. */
export interface LookupOptions {
  optional?: boolean;
}

const storage = new AsyncLocalStorage<Context>();
const closeReasonOf = (error: unknown): unknown => error ?? new ContextStateError('the context is closing');
const closed = Promise.resolve();

/**
 * Holds resources keyed by (key, name) and the callbacks that tear them down. A child context
 * (`ctx.child()`) sees its parent's resources live; the parent never sees the child's. A facade
 * over a registry, a teardown stack, the factory values it built, and an inversify container
 * made only when asked for (`ctx.container`, `ctx.resolve`).
 *
 * @example
 * const ctx = new Context();
 * ctx.addResource(new Pool(), { types: [Db] });
 * await ctx.withChild(async (request) => (await request.getResource(Db)).query('select 1'));
 * await ctx.close();
 */
export class Context implements AsyncDisposable {
  readonly parent: Context | undefined;
  #state: ContextState = 'open';
  readonly #registry = new ResourceRegistry();
  #builds: FactoryBuilds | undefined;
  #teardowns: TeardownStack | undefined;
  #children: Set<Context> | undefined;
  /** Values found by lookups, valid while `lookupGeneration` equals `#cachedAt`. */
  #cache: Map<ResourceKey<unknown>, unknown> | undefined;
  #cachedAt = -1;
  #container: ContextContainer | undefined;
  #abort: AbortController | undefined;
  /** Why the context is closing: the error it was closed with, or a ContextStateError for a clean close. */
  #closeReason: unknown;
  #owner: ContextOwner | undefined;
  #closing: Promise<void> | undefined;
  #resourceAdded: Signal<ResourceEvent> | undefined;
  #taskFailed: Signal<TaskFailedEvent> | undefined;
  /** Internal: see `labelContext`. */
  [contextLabel]: string | undefined = undefined;
  /** Internal: see `attachTransactionScope`. */
  [transactionScope]: TransactionScope | undefined = undefined;

  static {
    provideContextParts({ registry: (ctx) => (ctx as Context).#registry, taskFailed: (ctx) => (ctx as Context).#taskFailed });
  }

  constructor(parent?: Context) {
    if (parent !== undefined) {
      if (!(parent instanceof Context)) throw new InvalidResourceError(`new Context(parent): parent must be a Context, got ${typeof parent}`);
      parent.#assertState('create a child context', 'open');
      (parent.#children ??= new Set()).add(this);
    }
    this.parent = parent;
  }

  /** The context the running code belongs to (entered with {@link Context.run}). Throws outside. */
  static current(): Context {
    const ctx = storage.getStore();
    if (ctx !== undefined) return ctx;
    throw new NoCurrentContextError(
      "there is no current context: this code runs outside ctx.run(...), a component's prepare()/start() " +
        'and a service task; pass the context explicitly or wrap the call in ctx.run(() => ...)',
    );
  }

  /** Like {@link Context.current}, but `undefined` outside of any context. */
  static tryCurrent(): Context | undefined {
    return storage.getStore();
  }

  get state(): ContextState {
    return this.#state;
  }

  /** Aborted, with the closing error as its reason, when the context starts closing. */
  get abortSignal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.#state !== 'open' && !this.#abort.signal.aborted) this.#abort.abort(this.#closeReason);
    return this.#abort.signal;
  }

  /** This context's inversify container (made on first use, with its parents'); see {@link Context.resolve}. */
  get container(): Container {
    this.#assertState('use the container', 'open', 'closing');
    return this.#containerOf().container;
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
   * Runs `fn(child)` in a new child context (the current one inside `fn`) and closes the child with
   * what `fn` threw, or cleanly when it returned: the way to scope a unit of work that must roll
   * back on failure (`await using` cannot see the exception).
   */
  async withChild<R>(fn: (child: Context) => R | Promise<R>): Promise<Awaited<R>> {
    const child = new Context(this);
    let result: Awaited<R>;
    try {
      result = await child.run(() => fn(child));
    } catch (error) {
      await child.close(error);
      throw error;
    }
    await child.close();
    return result;
  }

  /**
   * Publishes `value` under each of `types` (default: its class) and `name` (default `'default'`).
   * @throws ResourceConflictError when this context already has one of those keys with that name.
   */
  addResource<T>(value: T, options: AddResourceOptions<T> = {}): void {
    if (this.#owner !== undefined && this.#state !== 'closed') return this.#owner.addResource(value, options);
    this.#assertState('add a resource', 'open', 'closing');
    if (value === null || value === undefined) {
      throw new InvalidResourceError(
        `addResource: the value is ${value}; a resource must be a value (publish an object, or use ` +
          `{ optional: true } on the consumer's side to model absence)`,
      );
    }
    const name = checkResourceName(options.name ?? DEFAULT_NAME, 'addResource');
    const keys = keysFor(value, options.types, 'addResource');
    this.#publish(keys, name, { value, description: options.description });
    const teardown = options.teardown;
    if (teardown) this.addTeardownCallback((error) => teardown(value, error));
    this.#resourceAdded?.dispatch({ keys, name, description: options.description, isFactory: false });
  }

  /** Adds a factory: each context that asks builds the value (sync or async) once and tears it down. */
  addResourceFactory<T>(factory: () => T | Promise<T>, options: AddResourceFactoryOptions<T>): void {
    if (this.#owner !== undefined && this.#state !== 'closed') return this.#owner.addResourceFactory(factory, options);
    this.#assertState('add a resource factory', 'open');
    if (typeof factory !== 'function') throw new InvalidResourceError(`addResourceFactory: factory must be a function, got ${typeof factory}`);
    const name = checkResourceName(options?.name ?? DEFAULT_NAME, 'addResourceFactory');
    if (!options?.types || options.types.length === 0) {
      throw new InvalidResourceError(
        'addResourceFactory: give the keys it publishes under, e.g. addResourceFactory(() => new Pool(), ' +
          '{ types: [Db] }); TypeScript has no run-time return types to read them from',
      );
    }
    const keys = keysFor(undefined, options.types, 'addResourceFactory');
    const record = new FactoryRecord(factory, keys, name, options.description, options.teardown);
    this.#publish(keys, name, { value: record, description: options.description });
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
    const hit = (name === undefined || name === DEFAULT_NAME) && this.#cachedAt === lookupGeneration.value ? this.#cache?.get(key) : undefined;
    if (hit !== undefined) return Promise.resolve(hit as T);
    const lookup = this.#lookup(key, name ?? DEFAULT_NAME, options);
    return this.#owner === undefined ? lookup : this.#owner.track(`ctx.getResource(${describeKey(key)} '${name ?? DEFAULT_NAME}')`, lookup);
  }

  async #lookup<T>(key: ResourceKey<T>, name: string, options: LookupOptions | undefined): Promise<T | undefined> {
    for (;;) {
      const found = this.#find(key, name);
      if (found instanceof FactoryRecord) return (await this.#buildsOf().get(found)) as T;
      if (found !== undefined) return found as T;
      const pending = findAnnouncement(this, key, name);
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
    // Kept tiny so V8 inlines it: only the cache hit is here.
    const hit = (name === undefined || name === DEFAULT_NAME) && this.#cachedAt === lookupGeneration.value ? this.#cache?.get(key) : undefined;
    return hit !== undefined ? (hit as T) : this.#lookupNowait(key, name ?? DEFAULT_NAME, options);
  }

  #lookupNowait<T>(key: ResourceKey<T>, name: string, options: LookupOptions | undefined): T | undefined {
    const found = this.#find(key, name);
    if (found instanceof FactoryRecord) {
      const value = this.#buildsOf().get(found, true);
      if (value !== undefined) return value as T;
      throw new AsyncResourceError(notYet(key, name, undefined));
    }
    if (found !== undefined) return found as T;
    const pending = findAnnouncement(this, key, name);
    if (pending !== undefined) throw new AsyncResourceError(notYet(key, name, pending.provider));
    return this.#miss(key, name, options);
  }

  /** Every value published under `key` that is visible here, by name (factories are not run). */
  getResources<T>(key: ResourceKey<T>): ReadonlyMap<string, T> {
    this.#assertState('look up resources', 'open', 'closing');
    return valuesInChain<T>(this, key);
  }

  /**
   * Builds an `@injectable()` class whose constructor parameters are marked `@inject(Key)` or
   * `@inject(Key, 'name')`, from the resources visible here (factories built in this context).
   * @throws ResourceNotFoundError naming the class, the parameter, the key and the name.
   */
  resolve<T>(target: abstract new (...args: never[]) => T): T {
    this.#assertState('resolve a class', 'open', 'closing');
    return this.#containerOf().resolve(target);
  }

  /** Registers `callback` to run at teardown (LIFO), with the error that ended the context. */
  addTeardownCallback(callback: TeardownCallback): void {
    this.#assertState('add a teardown callback', 'open', 'closing');
    if (typeof callback !== 'function') throw new InvalidResourceError(`addTeardownCallback: expected a function, got ${typeof callback}`);
    if (this.#owner?.takeTeardown(callback) && this.#state === 'open') return;
    (this.#teardowns ??= new TeardownStack()).push(callback);
  }

  /**
   * Runs `fn(signal)` while this context is open; at teardown the signal is aborted and the task
   * awaited (`handle.cancel()` stops it earlier). For tasks started on demand, see `createTaskFactory`.
   */
  startServiceTask(name: string, fn: (signal: AbortSignal) => unknown, options?: ServiceTaskOptions): TaskHandle {
    this.#assertState('start a service task', 'open');
    return startServiceTask(this, name, fn, options);
  }

  /**
   * Closes open child contexts (with a `ContextAbortedError`: their work did not finish), then runs
   * every teardown callback last-in-first-out, each with `error`. All run even when some throw; the
   * failures are thrown together as a {@link TeardownError}. Calling it again returns the same promise.
   */
  close(error?: unknown): Promise<void> {
    if (this.#closing === undefined && this[closeIfIdle](error)) return this.#closing!;
    return (this.#closing ??= this.#teardown(error));
  }

  /** Closes as a success: `await using` cannot see an exception (use {@link Context.withChild} for that). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #teardown(error: unknown): Promise<void> {
    this.#state = 'closing';
    this.#closeReason = closeReasonOf(error);
    this.#abort?.abort(this.#closeReason);
    const stack = (this.#teardowns ??= new TeardownStack());
    for (const child of this.#children ?? []) {
      stack.push(function closeChildContext() {
        return child.close(new ContextAbortedError('its parent context closed before it did', 'parent-closing', { cause: error }));
      });
    }
    for (const pending of this.#registry.pendingAnnouncements()) pending.fail(error ?? new ContextStateError('the context closed before it was published'));
    const failures = await stack.run(error, (fn) => this.run(fn));
    this.#finish();
    if (failures.length > 0) {
      throw new TeardownError(failures, `${failures.length} teardown step(s) failed:\n${describeTeardownFailures(failures).join('\n')}`);
    }
  }

  #finish(): void {
    this.#state = 'closed';
    this.#cache = undefined;
    this.#builds = undefined;
    if (this.parent !== undefined) this.parent.#children?.delete(this);
  }


  /** Internal: closes at once, synchronously, when there is nothing to tear down. */
  [closeIfIdle](error: unknown): boolean {
    if (this.#closing !== undefined) return this.#state === 'closed';
    if ((this.#teardowns?.size ?? 0) > 0 || (this.#children?.size ?? 0) > 0) return false;
    for (const _ of this.#registry.pendingAnnouncements()) return false;
    this.#closeReason = closeReasonOf(error);
    this.#abort?.abort(this.#closeReason);
    this.#closing = closed;
    this.#finish();
    return true;
  }

  /** Internal: stops waiting for a close in progress; the rest of its callbacks are called anyway. */
  [abandonClose](): AbandonedTeardown | undefined {
    return this.#teardowns?.abandon();
  }

  /** Internal: the open child contexts. */
  [openChildren](): readonly Context[] {
    return [...(this.#children ?? [])];
  }

  /** Internal: hands publishing and teardown decisions to `owner` (a component's context). */
  [attachOwner](owner: ContextOwner): void {
    this.#owner = owner;
  }

  /** Internal: the owner attached with `attachOwner`. */
  [ownerOf](): ContextOwner | undefined {
    return this.#owner;
  }

  #assertState(action: string, ...allowed: ContextState[]): void {
    if (allowed.includes(this.#state)) return;
    throw new ContextStateError(
      `cannot ${action}: the context is ${this.#state}${this.#state === 'closing' ? ' (its teardown is running)' : ''}; ` +
        'do this while the context is open, or use a new context',
    );
  }

  #publish(keys: readonly ResourceKey<unknown>[], name: string, entry: RegistryEntry): void {
    for (const key of keys) {
      const existing = this.#registry.get(key, name);
      if (existing !== undefined) throw conflict(key, name, existing, entry.value, entry.description);
    }
    for (const key of keys) {
      this.#registry.set(key, name, entry);
      this.#registry.announcement(key, name)?.fulfil();
    }
  }

  /** The value (cached here) or factory record visible from this context: the nearest in the chain. */
  #find(key: ResourceKey<unknown>, name: string): unknown {
    this.#assertState('look up a resource', 'open', 'closing');
    checkKey(key, 'getResource');
    if (typeof name !== 'string') checkResourceName(name, 'getResource');
    const entry = findEntry(this, key, name);
    if (entry === undefined) return undefined;
    if (entry.value instanceof FactoryRecord || name !== DEFAULT_NAME || this.#owner !== undefined) return entry.value;
    if (this.#cachedAt !== lookupGeneration.value) {
      this.#cache = undefined;
      this.#cachedAt = lookupGeneration.value;
    }
    (this.#cache ??= new Map()).set(key, entry.value);
    return entry.value;
  }

  #miss(key: ResourceKey<unknown>, name: string, options: LookupOptions | undefined): undefined {
    if (options?.optional) return undefined;
    throw notFound(key, name, namesInChain(this, key));
  }

  #buildsOf(): FactoryBuilds {
    return (this.#builds ??= new FactoryBuilds((fn) => this.run(fn), (callback) => (this.#teardowns ??= new TeardownStack()).push(callback)));
  }

  #containerOf(): ContextContainer {
    return (this.#container ??= new ContextContainer({
      parentContainer: this.parent === undefined ? undefined : this.parent.#containerOf(),
      visibleEntries: () => entriesInChain(this),
      lookupNowait: (key, name) => this.getResourceNowait(key, name),
      isVisible: (key, name) => isVisible(this, key, name),
    }));
  }
}
