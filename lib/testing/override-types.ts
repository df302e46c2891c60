import type { Component } from '../components/component';
import type { ResourceKey } from '../resources/resource-key';

/** A component class that `startTestApp` can put into the tree in place of another. */
export type ComponentClass = new (...args: never[]) => Component;

/**
 * Replaces a resource: `value` is what every component that requires `resource` (under `name`)
 * receives. Each component of the tree that would have provided it is replaced by a stub that
 * provides nothing, and the value is published in a context above the application's, so every
 * requirement resolves to it (and `ctx.getResource` finds it, from any scope).
 */
export interface ResourceOverride<T> {
  readonly resource: ResourceKey<T>;
  /** Default `'default'`. */
  readonly name?: string;
  readonly value: T;
}

/**
 * Replaces the whole component at `component` (a path such as `'root.db'`) by `with`, which
 * brings its own children. It receives the options given at that path; if it declares no config
 * class, it accepts the replaced component's option names and ignores their values.
 */
export interface ComponentOverride {
  readonly component: string;
  readonly with: ComponentClass;
}

/** One entry of `startTestApp`'s `overrides`. */
export type Override = ResourceOverride<unknown> | ComponentOverride;

/**
 * Checks each resource override's `value` against its key's type (an override list is a tuple, so
 * each entry keeps its own key type).
 */
export type CheckedOverrides<O extends readonly Override[]> = {
  readonly [I in keyof O]: O[I] extends { readonly resource: ResourceKey<infer T> } ? ResourceOverride<T> : O[I];
};
