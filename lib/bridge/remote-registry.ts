import { describeKey, isResourceKey, Token, closestMatch, type Signal, type ResourceKey } from '../index';
import { RemoteDeclarationError } from './bridge-errors';

/** The names of `T`'s properties that are methods returning a promise (what may be called remotely). */
export type RemoteMethodName<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T] &
  string;

/** The names of `T`'s properties that are `Signal`s (what a remote consumer may listen to). */
export type RemoteSignalName<T> = { [K in keyof T]: T[K] extends Signal<unknown> ? K : never }[keyof T] & string;

/** Options of {@link declareRemote}. */
export interface DeclareRemoteOptions<T> {
  /** The stable id on the wire; defaults to a token's id. Required for a class key. */
  readonly id?: string;
  /** The methods a consumer may call. Each must return a promise: the proxy's methods always do. */
  readonly methods: readonly RemoteMethodName<T>[];
  /** `Signal` properties whose events are forwarded to every consumer. */
  readonly signals?: readonly RemoteSignalName<T>[];
}

/** What the bridge knows about a key that may cross a process. Internal. */
export interface RemoteDeclaration {
  readonly id: string;
  readonly key: ResourceKey<unknown>;
  readonly methods: ReadonlySet<string>;
  readonly signals: ReadonlySet<string>;
}

/** Remote ids are one NATS subject token: no dots, no wildcards, no spaces. */
const idPattern = /^[A-Za-z_][\w-]*$/;
/** Method and signal names; a leading `$` is reserved for the bridge's own operations. */
const memberPattern = /^[A-Za-z_][\w]*$/;

/*
 * Process-wide on purpose. `@remote` runs when its class's module loads, before and outside any
 * application, and a declaration describes the key (a module-level value that every application
 * importing it shares), not an application. Nor can a per-application registry isolate anything
 * on the wire: an id is a subject token on the broker, so two keys with one id would cross-talk
 * over any broker they share; a clash is therefore an error when declared. Applications in one
 * process (or on one broker) that must not reach each other use their own `subjectPrefix` and
 * broker users (README, "Bridge safety"); a bridge only ever serves and imports the keys its own
 * config lists.
 */
const byId = new Map<string, RemoteDeclaration>();
const byKey = new Map<ResourceKey<unknown>, RemoteDeclaration>();

/**
 * Declares that a resource key may cross processes through a bridge, under a stable id, and which
 * of its methods and signals are remote. Use it for tokens; classes use the {@link remote}
 * decorator, which calls this. The same declaration serves the exporting and importing side.
 *
 * @example
 * interface Geocoder { locate(address: string): Promise<[number, number]> }
 * export const Geocoder = token<Geocoder>('Geocoder');
 * declareRemote(Geocoder, { methods: ['locate'] });
 */
export function declareRemote<T>(key: ResourceKey<T>, options: DeclareRemoteOptions<T>): void {
  registerRemote(key, options.id, options.methods, options.signals ?? []);
}

/** Records a remote declaration (what {@link declareRemote} and `@remote` do). Internal. */
export function registerRemote(
  key: ResourceKey<unknown>,
  explicitId: string | undefined,
  methodNames: readonly string[],
  signalNames: readonly string[],
): void {
  if (!isResourceKey(key)) {
    throw new RemoteDeclarationError(
      `declareRemote: ${String(key)} is not a resource key; pass a class or a token<T>('Id')`,
    );
  }
  const id = explicitId ?? (key instanceof Token ? key.id : undefined);
  const where = `remote ${describeKey(key)}`;
  if (id === undefined) {
    throw new RemoteDeclarationError(`${where}: a class needs an explicit id: @remote('${describeKey(key)}', { methods: [...] })`);
  }
  if (!idPattern.test(id)) {
    throw new RemoteDeclarationError(
      `${where}: id ${JSON.stringify(id)} is invalid; a remote id is letters, digits, _ and - (it becomes a NATS ` +
        `subject token), e.g. 'Mailer'` + (key instanceof Token ? `; pass { id: '...' } to keep the token's own id` : ''),
    );
  }
  const methods = checkMembers(where, 'methods', methodNames);
  const signals = checkMembers(where, 'signals', signalNames);
  const both = [...methods].filter((m) => signals.has(m));
  if (both.length > 0) throw new RemoteDeclarationError(`${where}: ${both.join(', ')} cannot be both a method and a signal`);
  const existing = byId.get(id);
  if (existing !== undefined && existing.key !== key) {
    throw new RemoteDeclarationError(
      `${where}: the remote id '${id}' is already declared for ${describeKey(existing.key)}; ` +
        `ids must be unique across the application (consumers and providers find each other by it)`,
    );
  }
  const previous = byKey.get(key);
  if (previous !== undefined && previous.id !== id) byId.delete(previous.id);
  const declaration: RemoteDeclaration = { id, key, methods, signals };
  byId.set(id, declaration);
  byKey.set(key, declaration);
}

function checkMembers(where: string, what: string, names: readonly string[]): ReadonlySet<string> {
  if (!Array.isArray(names)) throw new RemoteDeclarationError(`${where}: ${what} must be a list of names`);
  for (const name of names) {
    if (typeof name !== 'string' || !memberPattern.test(name)) {
      throw new RemoteDeclarationError(`${where}: ${what} entry ${JSON.stringify(name)} is not a valid member name`);
    }
  }
  return new Set(names);
}

/** The declaration of `key`, if it was declared remote. */
export function remoteDeclarationOf(key: ResourceKey<unknown>): RemoteDeclaration | undefined {
  return byKey.get(key);
}

/**
 * The declaration with the remote id `id`, as named in a bridge's config.
 * @throws RemoteDeclarationError naming the declared ids when none matches.
 */
export function remoteDeclarationById(id: string, where: string): RemoteDeclaration {
  const found = byId.get(id);
  if (found !== undefined) return found;
  const known = [...byId.keys()].sort();
  const guess = closestMatch(id, known);
  throw new RemoteDeclarationError(
    `${where}: no remote key '${id}' is declared` +
      (known.length > 0 ? ` (declared: ${known.join(', ')}${guess ? `; did you mean '${guess}'?` : ''})` : '') +
      `. Declare it with @remote('${id}', { methods: [...] }) on its class or declareRemote(token, ...), and make ` +
      `sure the module that does so is loaded before the bridge is built: list a component that imports it ` +
      `before the bridge in 'components'`,
  );
}
