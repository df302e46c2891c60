import type { Component } from './component';

/** Any component class (abstract ones included), whatever its constructor takes. */
export type AnyComponentClass = abstract new (...args: never[]) => Component;

/** The config type of a component class: its constructor's first parameter (`undefined` when it has none). */
export type ConfigOf<K> = K extends abstract new (config: infer C, ...rest: never[]) => unknown ? C : undefined;

/**
 * What a class decorator with a name function of config `C` checks on the class it decorates: the
 * class's own config must be a `C` (so the function reads fields the config has). With no name
 * function (`C` is `never`) anything goes.
 */
export type ConfigCheck<K, C> = [C] extends [never]
  ? unknown
  : [ConfigOf<K>] extends [C]
    ? unknown
    : { readonly 'the name function expects a config the component does not take': C };

/**
 * What the property form of `@requires(Key)` checks: a value of the key's type `V` must be
 * assignable to the property (`V | undefined` for an optional requirement). Properties TypeScript
 * cannot see from outside (`private`, `#x`) are not checked.
 */
export type PropertyCheck<O, P extends string, V> = P extends keyof O
  ? [V] extends [O[P]]
    ? unknown
    : { readonly 'the property type does not accept the resource type': V }
  : unknown;

/** The decorator `@provides(...)` and `@component(...)` return: component classes only. */
export type ComponentClassDecorator<C = never> = <K extends AnyComponentClass>(target: K & ConfigCheck<K, C>) => void;

/** The decorator `@requires(...)` returns: on a component class, or on a property of one that accepts `V`. */
export interface RequiresDecorator<V, C = never> {
  <K extends AnyComponentClass>(target: K & ConfigCheck<K, C>): void;
  <O extends Component, P extends string>(target: O, property: P & PropertyCheck<O, P, V>): void;
}
