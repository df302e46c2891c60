import { Component } from './component';
import { componentMetadata, hasClassDecorator } from './component-metadata';

type ComponentClass = abstract new (...args: never[]) => Component;

/**
 * Why the config class of `cls`, whose constructor takes a parameter that has no recorded type,
 * cannot be read, and what to change: the TypeScript option `emitDecoratorMetadata` when the class
 * shows it was compiled without it (a class decorator, or a decorated property, with no type
 * recorded), else a class decorator.
 */
export function unknownConfigTypeMessage(cls: ComponentClass, path: string): string {
  const parameter = firstParameterName(cls);
  const what = parameter === undefined ? "its constructor's first parameter" : `its constructor's parameter '${parameter}'`;
  const orName = `or name the config class: @component({ config: <the class of ${parameter === undefined ? 'that parameter' : `'${parameter}'`}> })`;
  const evidence = metadataOffEvidence(cls);
  if (evidence !== undefined) {
    return (
      `component ${path} (${cls.name}): ${what} has no recorded type, so its config class cannot be read; ${evidence}, ` +
      `so ${cls.name} was compiled without TypeScript's emitDecoratorMetadata. Set "emitDecoratorMetadata": true ` +
      `(with "experimentalDecorators": true) in the compilerOptions of tsconfig.json, for whatever compiled this code ` +
      `(tsc, or the Jest transform: preset 'asphalt-ts' has it on)` +
      (hasClassDecorator(cls) ? '' : `, and add @component() to ${cls.name} (only a decorated class gets its parameter types recorded)`) +
      `, ${orName}. ` +
      `(A .ts module named as a component type and run by the asphalt CLI is compiled with it already.)`
    );
  }
  return (
    `component ${path} (${cls.name}): ${what} has no recorded type, so its config class cannot be read; TypeScript ` +
    `records a constructor's parameter types only for a class with a decorator: add @component() to ${cls.name} ` +
    `(with "emitDecoratorMetadata": true and "experimentalDecorators": true in tsconfig.json), ${orName}`
  );
}

/** Why `cls` must have been compiled without decorator metadata, if it shows it. */
function metadataOffEvidence(cls: ComponentClass): string | undefined {
  if (hasClassDecorator(cls)) return `${cls.name} has a class decorator, yet no parameter types were recorded for it`;
  const untyped = componentMetadata(cls).requires.find(
    (r) => r.property !== undefined && Reflect.getMetadata('design:type', cls.prototype as object, r.property) === undefined,
  );
  if (untyped?.property !== undefined) return `its @requires property '${untyped.property}' has no recorded type either`;
  return undefined;
}

/** The name of the first constructor parameter, read from the class's source text when it is plain. */
function firstParameterName(cls: ComponentClass): string | undefined {
  const source = Function.prototype.toString.call(cls);
  return /\bconstructor\s*\(\s*([A-Za-z_$][\w$]*)/.exec(source)?.[1];
}
