import type { CustomTypeRegistry } from './custom-type-registry';
import { SerializationError } from './serialization-errors';
import { childPath, describeValue, type WireModel } from './wire-model';

/** What {@link toWire} checks a value against. Internal. */
export interface ToWireOptions {
  readonly model: WireModel;
  readonly registry: CustomTypeRegistry;
  readonly maxDepth: number;
  /** Names the serializer in messages, e.g. `json serializer 'default'`. */
  readonly label: string;
}

/**
 * `value` in the form the backend's library writes: custom-type instances replaced by envelopes,
 * everything checked against the value model (a copy is made only where something changes).
 * @throws SerializationError naming the path of the first value that cannot be written.
 */
export function toWire(value: unknown, options: ToWireOptions): unknown {
  return new Writer(options).write(value, '$', 0);
}

class Writer {
  readonly #ancestors = new Set<object>();

  constructor(readonly options: ToWireOptions) {}

  write(value: unknown, path: string, depth: number): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isFinite(value) || this.options.model.rich) return value;
        return this.#fail(path, `is ${value}, which JSON cannot carry`, 'send null or a string instead, or use the cbor or msgpack backend');
      case 'bigint':
        if (this.options.model.rich) return value;
        return this.#fail(path, 'is a bigint, which JSON cannot carry', 'convert it to a string, register a custom type, or use the cbor or msgpack backend');
      case 'undefined':
        if (this.options.model.rich) return value;
        return this.#fail(path, 'is undefined, which JSON cannot carry', 'use null (undefined object properties are left out)');
      case 'object':
        return value === null ? null : this.#object(value, path, depth);
      default:
        return this.#fail(path, `is ${describeValue(value)}`, 'send plain data');
    }
  }

  #object(value: object, path: string, depth: number): unknown {
    if (depth >= this.options.maxDepth) {
      return this.#fail(path, `is nested deeper than maxDepth (${this.options.maxDepth})`, 'flatten the value or raise maxDepth');
    }
    if (this.#ancestors.has(value)) return this.#fail(path, 'refers back to itself (a circular structure)', 'break the cycle');
    const custom = this.options.registry.ofValue(value);
    if (custom !== undefined) {
      let state: unknown;
      try {
        state = custom.encode(value);
      } catch (error) {
        throw new SerializationError(`${this.options.label}: the encode of custom type '${custom.name}' threw at ${path}: ${String(error)}`, path, { cause: error });
      }
      return this.#within(value, () => this.options.model.wrap(custom.name, this.write(state, `${path}<${custom.name}>`, depth + 1)));
    }
    if (Array.isArray(value)) return this.#within(value, () => this.#array(value as unknown[], path, depth));
    const { rich } = this.options.model;
    if (rich && value instanceof Date) {
      return Number.isNaN(value.getTime()) ? this.#fail(path, 'is an invalid Date', 'send a valid Date or null') : value;
    }
    if (rich && value instanceof Uint8Array) {
      // A Buffer (or other subclass) is written as what it is: bytes.
      return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.#within(value, () => this.#plain(value as Record<string, unknown>, path, depth));
    const what = describeValue(value);
    return this.#fail(
      path,
      `is ${what}, which is not plain data`,
      `register it with serializer.registerCustomType(${what.replace(/^an? /, '')}, { encode, decode }), or convert it to plain data`,
    );
  }

  #within(value: object, fn: () => unknown): unknown {
    this.#ancestors.add(value);
    try {
      return fn();
    } finally {
      this.#ancestors.delete(value);
    }
  }

  #array(value: readonly unknown[], path: string, depth: number): unknown {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const written = this.write(item, childPath(path, i), depth + 1);
      if (written !== item && copy === undefined) copy = value.slice(0, i);
      if (copy !== undefined) copy.push(written);
    }
    return copy ?? value;
  }

  #plain(value: Record<string, unknown>, path: string, depth: number): unknown {
    const { reservedKey, rich } = this.options.model;
    let copy: Record<string, unknown> | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const at = childPath(path, key);
      if (key === '__proto__') return this.#fail(at, 'is a __proto__ key, which every serializer refuses to read back', 'rename the key');
      if (key === reservedKey) {
        return this.#fail(at, `is the key '${key}', which marks custom types in this serializer`, 'rename the key, or configure another customTypeKey');
      }
      const item = value[key];
      // JSON leaves undefined properties out, as JSON.stringify does.
      const written = item === undefined && !rich ? undefined : this.write(item, at, depth + 1);
      if (written !== item && copy === undefined) {
        copy = {};
        for (let j = 0; j < i; j++) copy[keys[j]!] = value[keys[j]!];
      }
      if (copy !== undefined) copy[key] = written;
    }
    return copy ?? value;
  }

  #fail(path: string, problem: string, fix: string): never {
    throw new SerializationError(`${this.options.label} cannot serialize ${path}: it ${problem}; ${fix}`, path);
  }
}
