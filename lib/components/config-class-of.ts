import { Component } from './component';
import { componentMetadata } from './component-metadata';

type ConfigClass = new (...args: never[]) => object;

/**
 * A component's config class: `@component({ config })`, else its constructor's first parameter
 * type. `'untyped'` when that parameter is a plain object or interface type (no class to
 * validate with), `'unknown'` when the constructor takes a parameter whose type was not emitted,
 * `undefined` when the component takes no config.
 */
export function configClassOf(type: abstract new (...args: never[]) => Component): ConfigClass | 'untyped' | 'unknown' | undefined {
  const declared = componentMetadata(type).options.config;
  if (declared !== undefined) return declared as ConfigClass;
  const paramTypes = Reflect.getMetadata('design:paramtypes', type) as unknown[] | undefined;
  const first = paramTypes?.[0];
  if (first === Object) return 'untyped';
  if (typeof first === 'function' && first !== Component) return first as ConfigClass;
  if (paramTypes === undefined && type.length > 0) return 'unknown';
  return undefined;
}
