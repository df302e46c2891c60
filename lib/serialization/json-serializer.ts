import { CustomTypeError } from './serialization-errors';
import { Serializer, type SerializerOptions } from './serializer';
import { Envelope, type WireModel } from './wire-model';

/** Options of {@link JsonSerializer}. */
export interface JsonSerializerOptions extends SerializerOptions {
  /** The key that marks a custom-type envelope, `{ "__type__": "Money", "state": ... }`. Default `__type__`. */
  customTypeKey?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON (`application/json`), with no dependency. Carries `null`, booleans, finite numbers,
 * strings, arrays and plain objects (undefined properties are left out), plus registered custom
 * types as `{ "__type__": name, "state": ... }`. `Date`, `bigint` and bytes need a custom type
 * here (CBOR and MessagePack carry them natively).
 *
 * @example
 * const json = new JsonSerializer().registerCustomType(Date, { encode: (d) => d.toISOString(), decode: (s) => new Date(String(s)) });
 */
export class JsonSerializer extends Serializer {
  readonly mimeType = 'application/json';
  readonly format = 'json';
  readonly #model: WireModel;

  constructor(options: JsonSerializerOptions = {}) {
    super(options);
    const key = options.customTypeKey ?? '__type__';
    if (typeof key !== 'string' || !/^[\w$]+$/.test(key) || key === '__proto__' || key === 'state') {
      throw new CustomTypeError(`${this.label}: customTypeKey must be letters, digits, _ or $ (not __proto__ or state), got ${JSON.stringify(key)}`);
    }
    this.#model = {
      rich: false,
      reservedKey: key,
      wrap: (name, state) => ({ [key]: name, state }),
      unwrap: (node) => {
        const name = (node as Record<string, unknown>)[key];
        if (typeof name !== 'string' || !Object.hasOwn(node, key) || !Object.hasOwn(node, 'state') || Object.keys(node).length !== 2) return undefined;
        return new Envelope(name, (node as { state: unknown }).state);
      },
    };
  }

  protected override get model(): WireModel {
    return this.#model;
  }

  protected override encodeWire(wire: unknown): Uint8Array {
    return Buffer.from(JSON.stringify(wire), 'utf8');
  }

  protected override decodeWire(payload: Uint8Array | string): unknown {
    return JSON.parse(typeof payload === 'string' ? payload : decoder.decode(payload));
  }
}
