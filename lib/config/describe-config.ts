import 'reflect-metadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import {
  configOptionNames,
  freshInstance,
  nestedConfigClass,
  validationMetadatas,
  type ConfigClass,
} from './validate-config';
import { classValidator } from './validator-libraries';

/** One option of a config class, as `asphalt describe TYPE` prints it. */
export interface ConfigOptionDescription {
  /** Dotted name; options of nested classes follow their parent (`tls.ca`, `servers.*.port`). */
  readonly name: string;
  /** `string`, `number`, `boolean`, a class name, `Server[]`, ... */
  readonly type: string;
  /** True when leaving it out fails validation: it has a validator, no default, no `@IsOptional()`. */
  readonly required: boolean;
  /** The property initializer's value, when there is one. */
  readonly default?: unknown;
  /** class-validator constraints in source order, e.g. `isInt`, `max 65535`, `isIn [a, b]`. */
  readonly constraints: string[];
  /** Taken from a validator's `context: { description }`, when given. */
  readonly description?: string;
}

/**
 * Lists the options of a config class with their types, defaults and constraints, nested
 * classes flattened under dotted names.
 *
 * @example
 * describeConfig(DbConfig); // [{ name: 'port', type: 'number', required: false, default: 5432, ... }]
 */
export function describeConfig(configClass: ConfigClass): ConfigOptionDescription[] {
  return describeOptions(configClass, '', [configClass]);
}

function describeOptions(
  configClass: ConfigClass,
  prefix: string,
  enclosing: readonly ConfigClass[],
): ConfigOptionDescription[] {
  const defaults: Record<string, unknown> = { ...freshInstance(configClass) };
  const metadatas = validationMetadatas(configClass);
  return configOptionNames(configClass).flatMap((property) => {
    const own = metadatas.filter((metadata) => metadata.propertyName === property);
    const designType: unknown = Reflect.getMetadata('design:type', configClass.prototype, property);
    const defaultValue = defaults[property];
    const isList = designType === Array || Array.isArray(defaultValue);
    const nested = nestedConfigClass(configClass, property) ?? designClass(designType);
    const optional = own.some((metadata) => metadata.name === 'isOptional') || !own.some(isValidator);
    const description = own.map(contextDescription).find((text) => text !== undefined);
    const option: ConfigOptionDescription = {
      name: prefix + property,
      type: typeName(designType, defaultValue, nested, isList),
      required: !optional && defaultValue === undefined,
      ...(defaultValue === undefined ? {} : { default: defaultValue }),
      constraints: own.flatMap(constraintText),
      ...(description === undefined ? {} : { description }),
    };
    if (nested === undefined || enclosing.includes(nested)) return [option];
    const childPrefix = `${prefix}${property}.${isList ? '*.' : ''}`;
    return [option, ...describeOptions(nested, childPrefix, [...enclosing, nested])];
  });
}

function designClass(designType: unknown): ConfigClass | undefined {
  if (typeof designType !== 'function' || designType === Array) return undefined;
  return configOptionNames(designType as ConfigClass).length > 0 ? (designType as ConfigClass) : undefined;
}

const primitiveNames = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
  [Object, 'object'],
]);

function typeName(
  designType: unknown,
  defaultValue: unknown,
  nested: ConfigClass | undefined,
  isList: boolean,
): string {
  if (isList) return nested === undefined ? 'array' : `${nested.name}[]`;
  if (nested !== undefined) return nested.name;
  // An option without a type annotation (`port = 5432`) has `Object` as its design type.
  const inferred = designType === undefined || designType === Object;
  if (inferred && defaultValue !== undefined && defaultValue !== null) return typeof defaultValue;
  const primitive = primitiveNames.get(designType);
  if (primitive !== undefined) return primitive;
  return typeof designType === 'function' ? designType.name : 'unknown';
}

// class-validator's `ValidationTypes` values, spelt out so that loading this module loads nothing.
const conditional = 'conditionalValidation';
const whitelist = 'whitelistValidation';
const structural = new Set<string>([conditional, 'nestedValidation', 'promiseValidation', whitelist]);

function isValidator(metadata: ValidationMetadata): boolean {
  return metadata.type !== conditional && metadata.type !== whitelist;
}

function constraintText(metadata: ValidationMetadata): string[] {
  if (structural.has(metadata.type)) return [];
  const name = metadata.name ?? constraintClassName(metadata) ?? metadata.type;
  // isEnum keeps the enum object and its values; the values are what a reader needs.
  const constraints: readonly unknown[] =
    name === 'isEnum' ? [metadata.constraints?.[1]] : ((metadata.constraints ?? []) as unknown[]);
  const args = constraints.map(formatArgument).filter((text) => text !== '');
  const text = args.length === 0 ? name : `${name} ${args.join(', ')}`;
  return [metadata.each ? `${text} (each)` : text];
}

function constraintClassName(metadata: ValidationMetadata): string | undefined {
  return classValidator().getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls)[0]?.name;
}

function formatArgument(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatArgument).join(', ')}]`;
  if (value instanceof RegExp) return String(value);
  if (value === undefined || typeof value === 'function') return '';
  if (typeof value === 'object' && value !== null) {
    return Object.keys(value).length === 0 ? '' : JSON.stringify(value);
  }
  return String(value);
}

function contextDescription(metadata: ValidationMetadata): string | undefined {
  const context: unknown = metadata.context;
  if (typeof context !== 'object' || context === null) return undefined;
  const description: unknown = Reflect.get(context, 'description');
  return typeof description === 'string' ? description : undefined;
}
