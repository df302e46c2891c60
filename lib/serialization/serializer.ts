import { CustomTypeRegistry, type CustomTypeClass, type CustomTypeOptions } from './custom-type-registry';
import { fromWire } from './from-wire';
import { DeserializationError, SerializationError } from './serialization-errors';
import { toWire } from './to-wire';
import type { WireModel } from './wire-model';

/** Limits and naming shared by every backend. */
export interface SerializerOptions {
  /** Deepest nesting written or read (each array, object and custom type is a level). Default 256. */
  maxDepth?: number;
  /** Largest payload written or read, in bytes (characters for a JSON string). Default 16 MiB. */
  maxSize?: number;
  /** Names the serializer in error messages, e.g. `serializer 'events' (root.events)`. */
  label?: string;
}

/** The default of {@link SerializerOptions.maxDepth}. */
export const DEFAULT_MAX_DEPTH = 256;
/** The default of {@link SerializerOptions.maxSize}: 16 MiB. */
export const DEFAULT_MAX_SIZE = 16 * 1024 * 1024;

/**
 * Turns values into bytes and back, in one format (JSON, CBOR, MessagePack): the resource the
 * `serializer` component publishes. Every backend reads untrusted input safely: a truncated,
 * too deep, too large or prototype-reaching payload is refused with a {@link DeserializationError}.
 * Classes cross it once registered with {@link Serializer.registerCustomType}, under the same name
 * on every backend.
 *
 * @example
 * class Job extends Component {
 *   @requires(Serializer) serializer!: Serializer;
 *   // const bytes = this.serializer.serialize({ id: 1 }); this.serializer.deserialize(bytes)
 * }
 */
export abstract class Serializer {
  /** The MIME type of what {@link Serializer.serialize} writes, e.g. `application/cbor`. */
  abstract readonly mimeType: string;
  /** The backend: `json`, `cbor` or `msgpack`. */
  abstract readonly format: string;
  readonly maxDepth: number;
  readonly maxSize: number;
  readonly #registry = new CustomTypeRegistry();
  readonly #label: string | undefined;

  constructor(options: SerializerOptions = {}) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxSize = options.maxSize ?? DEFAULT_MAX_SIZE;
    this.#label = options.label;
  }

  /** The backend's envelope for custom types and what it carries natively. */
  protected abstract get model(): WireModel;
  /** Writes a checked value with the backend's library. */
  protected abstract encodeWire(wire: unknown): Uint8Array;
  /** Reads a payload with the backend's library (any error it throws is reported as malformed). */
  protected abstract decodeWire(payload: Uint8Array | string): unknown;

  /**
   * Lets instances of `type` (exactly that class) cross this serializer under `options.name`
   * (default: the class name). Register the same name on both sides. Returns the serializer.
   *
   * @example
   * serializer.registerCustomType(Money, { encode: (m) => [m.amount, m.currency], decode: (s) => Money.from(s) });
   */
  registerCustomType<T extends object>(type: CustomTypeClass<T>, options: CustomTypeOptions<T> = {}): this {
    this.#registry.register(type, options, this.label);
    return this;
  }

  /** The names of the registered custom types. */
  get customTypeNames(): readonly string[] {
    return this.#registry.names;
  }

  /** How the serializer is named in messages. */
  get label(): string {
    return this.#label ?? `${this.format} serializer`;
  }

  /**
   * `value` as bytes.
   * @throws SerializationError naming the path of what cannot be written and the fix.
   */
  serialize(value: unknown): Uint8Array {
    const wire = toWire(value, { model: this.model, registry: this.#registry, maxDepth: this.maxDepth, label: this.label });
    let bytes: Uint8Array;
    try {
      bytes = this.encodeWire(wire);
    } catch (error) {
      throw new SerializationError(`${this.label} cannot serialize $: ${error instanceof Error ? error.message : String(error)}`, '$', { cause: error });
    }
    if (bytes.byteLength > this.maxSize) {
      throw new SerializationError(`${this.label} cannot serialize $: it takes ${bytes.byteLength} bytes, over maxSize (${this.maxSize}); send less or raise maxSize`, '$');
    }
    return bytes;
  }

  /**
   * The value that `payload` holds. Safe on untrusted input.
   * @throws DeserializationError with a `reason` (`malformed`, `too-deep`, `too-large`,
   *   `forbidden-key`, `unsupported`, `unknown-type`, `custom-decode`) and a `path`.
   */
  deserialize(payload: Uint8Array | string): unknown {
    const size = typeof payload === 'string' ? payload.length : payload?.byteLength;
    if (typeof size !== 'number') {
      throw new DeserializationError(`${this.label} refused the payload: it is ${payload === null ? 'null' : typeof payload}, not a Uint8Array or a string`, 'malformed', '$');
    }
    if (size > this.maxSize) {
      throw new DeserializationError(`${this.label} refused the payload: it has ${size} bytes, over maxSize (${this.maxSize})`, 'too-large', '$');
    }
    let decoded: unknown;
    try {
      decoded = this.decodeWire(payload);
    } catch (error) {
      if (error instanceof DeserializationError) throw error;
      const tooDeep = error instanceof RangeError && /call stack/i.test(error.message);
      const depthLimit = error instanceof Error && /maximum depth/i.test(error.message);
      const reason = tooDeep || depthLimit ? 'too-deep' : 'malformed';
      const detail = tooDeep ? 'it is nested too deeply to decode' : error instanceof Error ? error.message : String(error);
      throw new DeserializationError(`${this.label} refused the payload: not valid ${this.format} (${detail})`, reason, '$', { cause: error });
    }
    return fromWire(decoded, { model: this.model, registry: this.#registry, maxDepth: this.maxDepth, label: this.label });
  }
}
