import { InvalidResourceError, describeKey, isResourceKey, type ResourceKey } from '../index';
import { wireKey } from './worker-resource';

/** Options of {@link exposeToWorkers}: which methods workers may call. */
export interface ExposeOptions {
  /**
   * The only methods workers may call. Without it: the resource's own methods, that is functions
   * on its prototype chain below `Object.prototype` or its own function properties, whose names
   * do not start with `_`; never a name of `Object.prototype` (`valueOf`, `hasOwnProperty`, ...).
   */
  readonly methods?: readonly string[];
}

/** A key shared with workers, and the methods they may call (`undefined`: the default rule). */
interface Exposure {
  readonly key: ResourceKey<unknown>;
  readonly methods: ReadonlySet<string> | undefined;
}

/**
 * The keys shared with worker threads, by the name they cross threads under. Process-wide on
 * purpose: it says which key *types* workers may name, as a key itself is a module-level value
 * (its declaration runs at import time, with no application in sight). It grants no access to any
 * application's resources: a worker's call is looked up in the context that submitted its task,
 * so a task of one application never reaches another application's resources.
 */
const exposed = new Map<string, Exposure>();

const memberPattern = /^[A-Za-z$][\w$]*$/;

/**
 * Lets code in worker threads call the resources published under these keys, with
 * `resource(key, name?)`. Only the resource's own methods are callable (see
 * {@link ExposeOptions.methods}); pass `{ methods: [...] }` last to name them exactly. A token
 * crosses by its id and a class by its name, so each must be unique among the keys shared;
 * sharing the same key again is harmless (a later method list replaces the earlier one).
 *
 * @example
 * export const Mailer = token<Mailer>('Mailer');
 * exposeToWorkers(Mailer);
 * exposeToWorkers(Keys, { methods: ['sign', 'verify'] }); // not rotate(), not the fields
 */
export function exposeToWorkers(...args: readonly (ResourceKey<unknown> | ExposeOptions)[]): void {
  const last = args[args.length - 1];
  const options = args.length > 1 && last !== undefined && !isResourceKey(last) ? (last as ExposeOptions) : undefined;
  const keys = (options === undefined ? args : args.slice(0, -1)) as readonly ResourceKey<unknown>[];
  let methods: ReadonlySet<string> | undefined;
  if (options !== undefined) {
    const list: unknown = options.methods;
    if (!Array.isArray(list) || list.some((m) => typeof m !== 'string' || !memberPattern.test(m))) {
      throw new InvalidResourceError(`exposeToWorkers: methods must be a list of method names, e.g. { methods: ['send'] }; got ${JSON.stringify(list)}`);
    }
    methods = new Set(list as string[]);
  }
  for (const key of keys) {
    if (!isResourceKey(key)) {
      throw new InvalidResourceError(`exposeToWorkers: ${String(key)} is not a resource key; use a class or a token`);
    }
    const wire = wireKey(key);
    const existing = exposed.get(wire);
    if (existing !== undefined && existing.key !== key) {
      throw new InvalidResourceError(
        `exposeToWorkers: ${describeKey(key)} and another key both cross threads as '${wire}'; ` +
          `workers could not tell them apart. Rename one (token ids and class names must be unique among shared keys)`,
      );
    }
    exposed.set(wire, { key, methods });
  }
}

/** Internal: the shared key a worker named, or `undefined`. */
export function exposedKey(wire: string): ResourceKey<unknown> | undefined {
  return exposed.get(wire)?.key;
}

/** Internal: every shared key, as workers name them (for error messages). */
export function exposedKeyNames(): string[] {
  return [...exposed.keys()];
}

/**
 * Internal: whether workers may call `method` of `target`, published under the shared key `wire`;
 * else why not, with the methods they may call.
 */
export function workerCallable(wire: string, target: object, method: string): { ok: true } | { ok: false; why: string } {
  const listed = exposed.get(wire)?.methods;
  // The common case costs a set lookup or a walk up the prototype chain, no listing.
  if (listed !== undefined ? listed.has(method) && typeof (target as Record<string, unknown>)[method] === 'function' : isOwnMethod(target, method)) return { ok: true };
  const names = (listed !== undefined ? [...listed] : [...ownMethods(target)]).filter((m) => typeof (target as Record<string, unknown>)[m] === 'function').sort();
  const why = listed !== undefined
    ? `it is not in the methods given to exposeToWorkers`
    : method.startsWith('_')
      ? 'names starting with _ are private'
      : method in Object.prototype
        ? `it is an Object.prototype member, not one of the resource's own methods`
        : typeof (target as Record<string, unknown>)[method] === 'function'
          ? 'it is not one of the resource\'s own methods'
          : `it is not a method (it is ${typeof (target as Record<string, unknown>)[method]})`;
  return { ok: false, why: `${why}; workers may call: ${names.length > 0 ? names.join(', ') : 'none'}` };
}

/** Prototypes whose own methods are not the resource's: the built-in bases every object has. */
function isBase(proto: object | null): boolean {
  return proto === null || proto === Object.prototype || proto === Function.prototype;
}

/** Whether `method` is one of the resource's own methods (see {@link ExposeOptions.methods}). */
function isOwnMethod(target: object, method: string): boolean {
  if (method === 'constructor' || method.startsWith('_') || method in Object.prototype) return false;
  for (let holder: object | null = target; !isBase(holder); holder = Object.getPrototypeOf(holder)) {
    const descriptor = Object.getOwnPropertyDescriptor(holder, method);
    if (descriptor !== undefined) return typeof descriptor.value === 'function';
  }
  return false;
}

/** The resource's own methods, for messages: prototype functions below Object.prototype and own function properties, no `_` names. */
function ownMethods(target: object): Set<string> {
  const names = new Set<string>();
  for (let holder: object | null = target; !isBase(holder); holder = Object.getPrototypeOf(holder)) {
    for (const name of Object.getOwnPropertyNames(holder)) if (isOwnMethod(target, name)) names.add(name);
  }
  return names;
}
