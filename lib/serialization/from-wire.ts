import type { CustomTypeRegistry } from './custom-type-registry';
import { DeserializationError, type DeserializationReason } from './serialization-errors';
import { childPath, describeValue, type WireModel } from './wire-model';

/** What {@link fromWire} checks a decoded value against. Internal. */
export interface FromWireOptions {
  readonly model: WireModel;
  readonly registry: CustomTypeRegistry;
  readonly maxDepth: number;
  readonly label: string;
}

/**
 * The library's decoded `value` checked against the value model and with custom-type envelopes
 * decoded. It is a tree: a node met twice (a back- or shared reference that an extension of the
 * format made) is refused, so neither a cycle nor a "billion laughs" graph can make it loop.
 * @throws DeserializationError with the reason and path of the first thing refused.
 */
export function fromWire(value: unknown, options: FromWireOptions): unknown {
  return new Reader(options).read(value, '$', 0);
}

class Reader {
  readonly #seen = new Set<object>();

  constructor(readonly options: FromWireOptions) {}

  read(value: unknown, path: string, depth: number): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'number':
        return value;
      case 'bigint':
      case 'undefined':
        if (this.options.model.rich) return value;
        break;
      case 'object':
        if (value === null) return null;
        return this.#object(value, path, depth);
    }
    return this.#fail('unsupported', path, `is ${describeValue(value)}, which this format does not carry`);
  }

  #object(value: object, path: string, depth: number): unknown {
    if (depth >= this.options.maxDepth) return this.#fail('too-deep', path, `is nested deeper than maxDepth (${this.options.maxDepth})`);
    if (this.#seen.has(value)) return this.#fail('unsupported', path, 'is a reference to a value met before (only trees are read)');
    this.#seen.add(value);
    if (Array.isArray(value)) return this.#array(value as unknown[], path, depth);
    const envelope = this.options.model.unwrap(value);
    if (envelope !== undefined) return this.#custom(envelope.name, envelope.state, path, depth);
    const { rich } = this.options.model;
    if (rich && value instanceof Date) return value;
    if (rich && value instanceof Uint8Array) return value;
    if (rich && value instanceof Map) return this.#map(value, path, depth);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return this.#plain(value as Record<string, unknown>, path, depth);
    return this.#fail('unsupported', path, `is ${describeValue(value)}, which is outside the value model (plain data and registered custom types)`);
  }

  #custom(name: string, state: unknown, path: string, depth: number): unknown {
    const type = this.options.registry.byName(name);
    if (type === undefined) {
      const known = this.options.registry.names;
      return this.#fail('unknown-type', path, `is a custom type '${name}' that is not registered (registered: ${known.length ? known.join(', ') : 'none'})`);
    }
    const decodedState = this.read(state, `${path}<${name}>`, depth + 1);
    try {
      return type.decode(decodedState);
    } catch (error) {
      throw new DeserializationError(`${this.options.label}: the decode of custom type '${name}' threw at ${path}: ${String(error)}`, 'custom-decode', path, {
        cause: error,
      });
    }
  }

  #array(value: unknown[], path: string, depth: number): unknown {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const read = this.read(item, childPath(path, i), depth + 1);
      if (read !== item) value[i] = read;
    }
    return value;
  }

  #plain(value: Record<string, unknown>, path: string, depth: number): unknown {
    const { reservedKey } = this.options.model;
    for (const key of Object.keys(value)) {
      this.#checkKey(key, value[key], path);
      if (key === reservedKey) return this.#fail('unknown-type', childPath(path, key), `marks a custom type, but the object is not { ${key}, state }`);
      const item = value[key];
      const read = this.read(item, childPath(path, key), depth + 1);
      if (read !== item) value[key] = read;
    }
    return value;
  }

  /** A map as a plain object; only string keys are in the value model. */
  #map(value: Map<unknown, unknown>, path: string, depth: number): unknown {
    const object: Record<string, unknown> = {};
    for (const [key, item] of value) {
      if (typeof key !== 'string') return this.#fail('unsupported', path, `is a map with a key that is ${describeValue(key)} (only string keys are read)`);
      this.#checkKey(key, item, path);
      if (Object.hasOwn(object, key)) return this.#fail('malformed', childPath(path, key), 'is a key that appears twice in one map');
      object[key] = this.read(item, childPath(path, key), depth + 1);
    }
    return object;
  }

  #checkKey(key: string, item: unknown, path: string): void {
    if (key === '__proto__') this.#fail('forbidden-key', childPath(path, key), 'is a __proto__ key (refused: it could reach a prototype)');
    if (key === 'constructor' && typeof item === 'object' && item !== null && (item instanceof Map ? item.has('prototype') : Object.hasOwn(item, 'prototype'))) {
      this.#fail('forbidden-key', childPath(path, key), 'is a constructor.prototype key (refused: it could reach a prototype)');
    }
  }

  #fail(reason: DeserializationReason, path: string, problem: string): never {
    throw new DeserializationError(`${this.options.label} refused the payload: ${path} ${problem}`, reason, path);
  }
}
