/** A custom-type instance as the backends carry it: the registered name and the encoded state. */
export class Envelope {
  constructor(
    readonly name: string,
    readonly state: unknown,
  ) {}
}

/** What the value walkers need to know about a backend. Internal. */
export interface WireModel {
  /** Whether the format carries `bigint`, `undefined`, `Date`, `Uint8Array` and non-finite numbers itself. */
  readonly rich: boolean;
  /** JSON only: the key that marks a custom-type envelope in an object (`__type__`). */
  readonly reservedKey?: string;
  /** The format's form of a custom-type instance. */
  wrap(name: string, state: unknown): unknown;
  /** The envelope that `node` is, or `undefined` when it is none. */
  unwrap(node: object): Envelope | undefined;
}

/** `$.a`, `$[0]`, `$["odd key"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A short name of what `value` is, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  const proto: unknown = Object.getPrototypeOf(value);
  const name = proto === null ? undefined : (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object of an unnamed class';
}
