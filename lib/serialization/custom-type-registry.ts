import { CustomTypeError } from './serialization-errors';

/** A class whose instances a serializer writes through a registered custom type. */
export type CustomTypeClass<T extends object = object> = abstract new (...args: never[]) => T;

/**
 * How one class crosses a serializer: `encode` turns an instance into a state of plain data (which
 * is serialized in turn, so it may hold other custom types), `decode` turns that state back into
 * an instance. `decode` receives untrusted data: check its shape.
 */
export interface CustomTypeOptions<T extends object> {
  /** The stable name on the wire (`/^[A-Za-z_][\w.:-]*$/`). Default: the class name. */
  name?: string;
  /** Default: the instance's own enumerable properties as a plain object. */
  encode?: (value: T) => unknown;
  /** Default: an object with the class's prototype (the constructor is not called) and the state's properties. */
  decode?: (state: unknown) => T;
}

/** A registered custom type (internal shape, shared by the backends). */
export interface CustomType {
  readonly name: string;
  readonly type: CustomTypeClass;
  readonly encode: (value: object) => unknown;
  readonly decode: (state: unknown) => object;
}

const NAME = /^[A-Za-z_][\w.:-]*$/;

/** The custom types of one serializer, by class and by wire name. Internal. */
export class CustomTypeRegistry {
  readonly #byName = new Map<string, CustomType>();
  readonly #byClass = new Map<unknown, CustomType>();

  register<T extends object>(type: CustomTypeClass<T>, options: CustomTypeOptions<T>, where: string): void {
    if (typeof type !== 'function') {
      throw new CustomTypeError(`${where}: registerCustomType needs a class, got ${type === null ? 'null' : typeof type}`);
    }
    const name = options.name ?? type.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new CustomTypeError(
        `${where}: custom type name ${JSON.stringify(name)} (class ${type.name || 'anonymous'}) must match ${NAME}; ` +
          `pass { name: 'Money' } to registerCustomType`,
      );
    }
    const byName = this.#byName.get(name);
    if (byName !== undefined) {
      throw new CustomTypeError(`${where}: the custom type name '${name}' is already registered (class ${byName.type.name}); give ${type.name} another name`);
    }
    const byClass = this.#byClass.get(type);
    if (byClass !== undefined) {
      throw new CustomTypeError(`${where}: the class ${type.name} is already registered as custom type '${byClass.name}'`);
    }
    const entry: CustomType = {
      name,
      type,
      encode: (options.encode as ((value: object) => unknown) | undefined) ?? ((value) => ({ ...value })),
      decode: options.decode ?? ((state) => defaultDecode(type, state, name)),
    };
    this.#byName.set(name, entry);
    this.#byClass.set(type, entry);
  }

  /** The custom type of `value`'s exact class, if registered. */
  ofValue(value: object): CustomType | undefined {
    if (this.#byClass.size === 0) return undefined;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === null ? undefined : this.#byClass.get((proto as { constructor?: unknown }).constructor);
  }

  byName(name: string): CustomType | undefined {
    return this.#byName.get(name);
  }

  get names(): readonly string[] {
    return [...this.#byName.keys()];
  }
}

function defaultDecode(type: CustomTypeClass, state: unknown, name: string): object {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TypeError(`the default decode of '${name}' expects an object of properties, got ${Array.isArray(state) ? 'an array' : typeof state}`);
  }
  // The state has been checked for __proto__ keys already; Object.assign copies own properties only.
  return Object.assign(Object.create(type.prototype as object) as object, state);
}
