import { BridgePayloadError } from './bridge-errors';

/**
 * The wire format of values crossing the bridge: JSON, plus tagged objects (`{"$t": ...}`) for what
 * JSON cannot say: `Date`, `Uint8Array` (a `Buffer` arrives as a `Uint8Array`), `bigint`,
 * `undefined` in arrays, and plain objects that themselves have a `$t` key. Everything else that
 * is not plain data (functions, symbols, class instances, `Map`, `Set`, `NaN`, cycles) is refused
 * with a {@link BridgePayloadError} that names where it is, before anything is sent. Internal.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const UNDEFINED_TAG = Object.freeze({ $t: 'u' });

class Unserializable extends Error {}

function replacer(this: unknown, key: string, _value: unknown): unknown {
  // `_value` has been through toJSON() already (a Date is a string by then): look at the original.
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case 'string':
    case 'boolean':
      return raw;
    case 'number':
      if (Number.isFinite(raw)) return raw;
      throw new Unserializable();
    case 'undefined':
      return Array.isArray(this) ? UNDEFINED_TAG : undefined;
    case 'bigint':
      return { $t: 'bigint', v: raw.toString() };
    case 'object': {
      if (raw === null || Array.isArray(raw)) return raw;
      const proto: unknown = Object.getPrototypeOf(raw);
      if (proto === Object.prototype || proto === null) {
        return Object.hasOwn(raw, '$t') ? { $t: 'obj', v: Object.entries(raw) } : raw;
      }
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) return { $t: 'date', v: raw.toISOString() };
      if (raw instanceof Uint8Array) return { $t: 'bytes', v: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
      throw new Unserializable();
    }
    default:
      throw new Unserializable();
  }
}

/**
 * `value` as JSON text of the wire format.
 * @throws BridgePayloadError naming the first part of `value` that cannot be sent; `what` names
 *   the value in the message (e.g. `the arguments of Mailer.send()`) and `root` its path prefix.
 */
export function encodeValue(value: unknown, what: string, root: string): string {
  try {
    return JSON.stringify(value, replacer) ?? 'null';
  } catch (error) {
    const found = findUnserializable(value, root, new Set(), 0);
    const why = found ?? { path: root, reason: error instanceof Error ? error.message : String(error) };
    throw new BridgePayloadError(
      `${what} cannot be sent over the bridge: ${why.path} ${why.reason}. Send plain data: objects, arrays, ` +
        `strings, finite numbers, booleans, null, Date, Uint8Array or bigint`,
      why.path,
    );
  }
}

/** Where `value` stops being plain data, and why (the slow path, for the error message only). */
function findUnserializable(value: unknown, path: string, ancestors: Set<object>, depth: number): { path: string; reason: string } | undefined {
  if (depth > 200) return { path, reason: 'is nested too deeply (over 200 levels)' };
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? undefined : { path, reason: `is ${value}, which JSON cannot carry` };
    case 'function':
      return { path, reason: `is a function (${value.name || 'anonymous'}); functions cannot be sent` };
    case 'symbol':
      return { path, reason: 'is a symbol' };
    case 'object': {
      if (value === null || value instanceof Uint8Array) return undefined;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? { path, reason: 'is an invalid Date' } : undefined;
      if (ancestors.has(value)) return { path, reason: 'refers back to itself (a circular structure)' };
      const proto: unknown = Object.getPrototypeOf(value);
      if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'an object with a custom prototype';
        return { path, reason: `is a ${name} instance; only plain objects and arrays are sent (convert it first)` };
      }
      ancestors.add(value);
      try {
        const entries: [string, unknown][] = Array.isArray(value)
          ? value.map((item, i) => [`[${i}]`, item])
          : Object.entries(value).map(([k, v]) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`, v]);
        for (const [suffix, child] of entries) {
          const found = findUnserializable(child, `${path}${suffix}`, ancestors, depth + 1);
          if (found) return found;
        }
      } finally {
        ancestors.delete(value);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** UTF-8 bytes of `text`, refused when longer than `limit`. */
export function toBytes(text: string, limit: number, what: string): Uint8Array {
  const bytes = encoder.encode(text);
  if (bytes.length > limit) {
    throw new BridgePayloadError(
      `${what} is ${bytes.length} bytes once encoded, over the bridge's maxPayload of ${limit} bytes; ` +
        `send less (or a reference to it), or raise maxPayload (and the broker's max_payload)`,
      '',
    );
  }
  return bytes;
}

/**
 * The value in `bytes`, in the wire format.
 * @throws Error (plain) when the bytes are not UTF-8 JSON of the wire format; callers turn it into
 *   the right reply or error.
 */
export function decodeValue(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  // A key `__proto__` is dropped whatever its JSON spelling: literally, or with \u escapes
  // (`"__proto\u005f_"`), which the text shows as a backslash-u.
  if (text.includes('"$t"') || text.includes('__proto__') || text.includes('\\u')) return JSON.parse(text, reviver);
  return JSON.parse(text);
}

function reviver(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, '$t')) return value;
  const { $t: tag, v } = value as { $t: unknown; v: unknown };
  switch (tag) {
    case 'u':
      return undefined;
    case 'date':
      if (typeof v === 'string') {
        const date = new Date(v);
        if (!Number.isNaN(date.getTime())) return date;
      }
      break;
    case 'bytes':
      if (typeof v === 'string') {
        const buffer = Buffer.from(v, 'base64');
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      }
      break;
    case 'bigint':
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
      break;
    case 'obj':
      if (Array.isArray(v) && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[0] !== '__proto__')) {
        return Object.fromEntries(v as [string, unknown][]);
      }
      break;
    default:
      break;
  }
  throw new Error(`invalid tagged value ${JSON.stringify(value).slice(0, 80)}`);
}
