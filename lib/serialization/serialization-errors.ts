import { AsphaltError } from '../index';

/**
 * A value that a {@link Serializer} cannot write: a type outside its value model (a function, a
 * class instance that is not registered, a `Map`...), a circular structure, nesting deeper than
 * `maxDepth`, output larger than `maxSize`, or a custom type's `encode` that threw. `path` says
 * where in the value (`$.user.tags[2]`).
 */
export class SerializationError extends AsphaltError {
  static override readonly code = 'ASPHALT_SERIALIZATION_SERIALIZE';
  constructor(
    message: string,
    /** Where in the value, e.g. `$.items[3].price`. */
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Why a payload was refused by {@link DeserializationError}. */
export type DeserializationReason =
  /** Not a payload of this format: truncated, trailing bytes, a declared length past the end, bad text. */
  | 'malformed'
  /** Nested deeper than `maxDepth`. */
  | 'too-deep'
  /** Larger than `maxSize` bytes. */
  | 'too-large'
  /** A `__proto__` key (or `constructor.prototype`), refused so no prototype can be reached. */
  | 'forbidden-key'
  /** A value outside the serializer's value model (a `Set`, a `RegExp`, a map with non-string keys...). */
  | 'unsupported'
  /** A custom-type envelope whose name is not registered, or that is malformed. */
  | 'unknown-type'
  /** A registered custom type's `decode` threw. */
  | 'custom-decode';

/**
 * A payload that a {@link Serializer} refused to read. Untrusted input never crashes, hangs or
 * pollutes a prototype: whatever is wrong with it ends here, with a `reason` and a `path`.
 */
export class DeserializationError extends AsphaltError {
  static override readonly code = 'ASPHALT_SERIALIZATION_DESERIALIZE';
  constructor(
    message: string,
    readonly reason: DeserializationReason,
    /** Where in the decoded value (`$` when the payload as a whole is at fault). */
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** `registerCustomType` was given a name or class already registered, or a name that is not allowed. */
export class CustomTypeError extends AsphaltError {
  static override readonly code = 'ASPHALT_SERIALIZATION_CUSTOM_TYPE';
}
