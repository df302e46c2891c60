import type { Component } from './component';

type ComponentClass = abstract new (...args: never[]) => Component;

const registry = new Map<string, ComponentClass>();

/**
 * Registers a short type name usable in config (`type: http`). Packages call this for the
 * components they ship; the last registration of a name wins.
 */
export function registerComponentType(name: string, type: ComponentClass): void {
  registry.set(name, type);
}

/** The class registered under `name`, if any. */
export function registeredComponentType(name: string): ComponentClass | undefined {
  return registry.get(name);
}

/** Every registered short name, sorted. */
export function registeredComponentNames(): string[] {
  return [...registry.keys()].sort();
}
