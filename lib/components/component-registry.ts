import type { Component } from './component';

type ComponentClass = abstract new (...args: never[]) => Component;

/** A registered type: the class, or an absolute `"/path/to/module.js:Export"` loaded on first use. */
export type RegisteredType = ComponentClass | string;

/**
 * Short component type names (`type: http` in config). Give an application its own registry
 * (`new ComponentTypeRegistry()`) so the names it registers are not seen by another application
 * in the same process; every registry falls back to {@link defaultComponentTypes} for names it
 * does not hold itself.
 *
 * @example
 * const types = new ComponentTypeRegistry();
 * types.register('db', DbComponent);
 */
export class ComponentTypeRegistry {
  readonly #types = new Map<string, { type: RegisteredType; from: string }>();
  readonly #parent: ComponentTypeRegistry | undefined;

  /** @param parent where names not registered here are looked up (default: the process-wide registry). */
  constructor(parent: ComponentTypeRegistry | null = defaultComponentTypes) {
    this.#parent = parent ?? undefined;
  }

  /** Registers `name` here; the last registration of a name wins. */
  register(name: string, type: RegisteredType, from = 'code'): void {
    this.#types.set(name, { type, from });
  }

  /** What is registered under `name` here or in a parent, if anything. */
  get(name: string): RegisteredType | undefined {
    return this.#types.get(name)?.type ?? this.#parent?.get(name);
  }

  /** Every registered short name (parents' included) with where it came from, sorted by name. */
  names(): string[] {
    const all = new Map<string, string>();
    const visit = (registry: ComponentTypeRegistry): void => {
      if (registry.#parent) visit(registry.#parent);
      for (const [name, { from }] of registry.#types) all.set(name, from);
    };
    visit(this);
    return [...all.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, from]) => (from === 'code' ? name : `${name} (${from})`));
  }
}

/**
 * The process-wide registry. It is global on purpose: what it holds comes from what is global in a
 * process anyway, the modules loaded (`ContainerComponent` registers `container`) and the packages
 * installed (their package.json `asphalt.components`, read by the CLI). Names an application wants
 * to keep to itself go in its own {@link ComponentTypeRegistry}.
 */
export const defaultComponentTypes: ComponentTypeRegistry = new ComponentTypeRegistry(null);

/**
 * Registers a short type name usable in config (`type: http`) in the process-wide registry.
 * Packages list theirs in their package.json (`"asphalt": { "components": { "http":
 * "./dist/http.js:HttpComponent" } }`), which the CLI reads; code may call this directly. The last
 * registration of a name wins. For names one application keeps to itself, use a
 * {@link ComponentTypeRegistry}.
 */
export function registerComponentType(name: string, type: RegisteredType, from = 'code'): void {
  defaultComponentTypes.register(name, type, from);
}

/** What is registered under `name` in the process-wide registry, if anything. */
export function registeredComponentType(name: string): RegisteredType | undefined {
  return defaultComponentTypes.get(name);
}

/** Every name of the process-wide registry with where it came from, sorted by name. */
export function registeredComponentNames(): string[] {
  return defaultComponentTypes.names();
}
