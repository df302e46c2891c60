import type { Component } from './component';

type ComponentClass = abstract new (...args: never[]) => Component;

/** A registered type: the class, or an absolute `"/path/to/module.js:Export"` loaded on first use. */
export type RegisteredType = ComponentClass | string;

const registry = new Map<string, { type: RegisteredType; from: string }>();

/**
 * Registers a short type name usable in config (`type: http`). Packages list theirs in their
 * package.json (`"asphalt": { "components": { "http": "./dist/http.js:HttpComponent" } }`), which
 * the CLI reads; code may call this directly. The last registration of a name wins.
 */
export function registerComponentType(name: string, type: RegisteredType, from = 'code'): void {
  registry.set(name, { type, from });
}

/** What is registered under `name`, if anything. */
export function registeredComponentType(name: string): RegisteredType | undefined {
  return registry.get(name)?.type;
}

/** Every registered short name with where it came from, sorted by name. */
export function registeredComponentNames(): string[] {
  return [...registry.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, { from }]) => (from === 'code' ? name : `${name} (${from})`));
}
