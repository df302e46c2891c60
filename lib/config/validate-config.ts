import type { ClassConstructor } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ConfigError, type ConfigIssue } from '../errors';
import { closestMatch, editDistance } from '../util/closest-match';
import { classTransformer, classValidator, transformerStorage } from './validator-libraries';

/** A class whose instances are a component's configuration (validated with class-validator). */
export type ConfigClass<C extends object = object> = new (...args: never[]) => C;

/** Where each value came from, by full dotted path (`config.yaml:12:3`, `env ASPHALT_X`, ...). */
export type ConfigSources = (path: string) => string | undefined;

const builtins = new Set<unknown>([Object, String, Number, Boolean, Array, Date, Map, Set, BigInt, Symbol]);

/**
 * Builds an instance of `configClass` from `plain` and validates it, reporting every problem at
 * once. Property initializers act as defaults; `undefined` or `null` means "no options".
 *
 * @param path where `plain` sits in the whole configuration, e.g. `components.db`; prefixes
 *   every issue path.
 * @param sources optional look-up of where a value came from, shown next to each issue.
 * @throws {ConfigError} (`ASPHALT_CONFIG`) listing every invalid or unknown option.
 * @example
 * const config = validateConfig(DbConfig, { port: 5433 }, 'components.db');
 */
export function validateConfig<C extends object>(
  configClass: ConfigClass<C>,
  plain: unknown,
  path: string,
  sources?: ConfigSources,
): C {
  const input = plain ?? {};
  const issues: ConfigIssue[] = [];
  if (!isRecord(input)) {
    issues.push({ path, message: `expected a mapping of options, got ${kindOf(input)}`, value: input });
  } else {
    collectUnknownOptions(configClass, input, path, issues);
    // class-transformer constructs the class with no arguments, as `never[]` allows.
    const coerced = coerceStrings(configClass, input);
    // Free-form values (mappings and lists of a property with no @Type class) are data: they are
    // kept out of class-transformer, which reads keys such as `constructor` as the value's class.
    const { rest, freeForm } = splitFreeForm(configClass, coerced, path, issues);
    const instance = classTransformer().plainToInstance(configClass as ClassConstructor<C>, rest, { exposeDefaultValues: true });
    for (const [key, value] of freeForm) (instance as Record<string, unknown>)[key] = value;
    // A config class may declare only defaults; class-validator would call that an unknown value.
    collectViolations(classValidator().validateSync(instance, { forbidUnknownValues: false }), path, issues);
    if (issues.length === 0) return instance;
  }
  throw new ConfigError(
    inDocumentOrder(issues, input, path).map((issue) => {
      const source = sources?.(issue.path);
      return source === undefined ? issue : { ...issue, source };
    }),
  );
}

/**
 * The option names `configClass` accepts: properties with class-validator decorators,
 * class-transformer `@Expose` / `@Type` properties, and properties with a default value.
 */
export function configOptionNames(configClass: ConfigClass): string[] {
  const names = new Set<string>();
  for (const metadata of validationMetadatas(configClass)) names.add(metadata.propertyName);
  for (const exposed of transformerStorage().getExposedMetadatas(configClass)) {
    const name = exposed.options?.name ?? exposed.propertyName;
    if (name !== undefined) names.add(name);
  }
  for (const name of typedPropertyNames(configClass)) names.add(name);
  for (const name of Object.keys(freshInstance(configClass) ?? {})) names.add(name);
  return [...names];
}

/** @internal The class-validator metadata of `configClass` (inherited included), in source order. */
export function validationMetadatas(configClass: ConfigClass): ValidationMetadata[] {
  // Decorators run bottom-up, so the storage holds each property's constraints in reverse.
  const byProperty = new Map<string, ValidationMetadata[]>();
  const all = classValidator().getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
  for (const metadata of all) {
    const list = byProperty.get(metadata.propertyName) ?? [];
    list.unshift(metadata);
    byProperty.set(metadata.propertyName, list);
  }
  return [...byProperty.values()].flat();
}

/** @internal The config class of a nested option (`@Type(() => Tls)`), if it has one. */
export function nestedConfigClass(configClass: ConfigClass, property: string): ConfigClass | undefined {
  const metadata = transformerStorage().findTypeMetadata(configClass, property);
  if (metadata === undefined || metadata.options?.discriminator !== undefined) return undefined;
  let type: unknown;
  try {
    type = metadata.typeFunction();
  } catch {
    return undefined; // a type function that needs the value being transformed
  }
  return isConfigClass(type) ? type : undefined;
}

/** @internal An instance built with no arguments (its own properties are the defaults). */
export function freshInstance(configClass: ConfigClass): object | undefined {
  try {
    return new configClass();
  } catch {
    return undefined;
  }
}

function isConfigClass(type: unknown): type is ConfigClass {
  return typeof type === 'function' && !builtins.has(type) && configOptionNames(type as ConfigClass).length > 0;
}

/**
 * Splits the mappings and lists of properties that have no `@Type` class (free-form data, e.g.
 * `@Allow() headers`) from the rest, copied as plain data: every key, `constructor` and
 * `hasOwnProperty` included, is an own data property of a plain object; `__proto__` is an issue.
 */
function splitFreeForm(
  configClass: ConfigClass,
  input: Record<string, unknown>,
  path: string,
  issues: ConfigIssue[],
): { rest: Record<string, unknown>; freeForm: [string, unknown][] } {
  let rest: Record<string, unknown> | undefined;
  const freeForm: [string, unknown][] = [];
  let typed: Set<string> | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) continue;
    typed ??= new Set(typedPropertyNames(configClass));
    if (typed.has(key)) continue;
    freeForm.push([key, copyData(value, joinIssuePath(path, key), issues, 0)]);
    if (rest === undefined) rest = { ...input };
    delete rest[key];
  }
  return { rest: rest ?? input, freeForm };
}

const MAX_DATA_DEPTH = 200;

/** A copy of plain data (mappings, lists, scalars) with every key an own data property. */
function copyData(value: unknown, path: string, issues: ConfigIssue[], depth: number): unknown {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value) || value instanceof Date) return value;
  if (depth > MAX_DATA_DEPTH) {
    issues.push({ path, message: `nested more than ${MAX_DATA_DEPTH} levels deep` });
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => copyData(item, joinIssuePath(path, String(i)), issues, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      issues.push({ path: joinIssuePath(path, key), message: 'the key __proto__ is not allowed' });
      continue;
    }
    const item = copyData((value as Record<string, unknown>)[key], joinIssuePath(path, key), issues, depth + 1);
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function joinIssuePath(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function typedPropertyNames(configClass: ConfigClass): string[] {
  // `@Type` metadata has no public listing; read the storage's map, tolerating its absence.
  const byTarget: unknown = Reflect.get(transformerStorage(), '_typeMetadatas');
  if (!(byTarget instanceof Map)) return [];
  const names: string[] = [];
  for (let target: unknown = configClass; typeof target === 'function' && target !== Function.prototype; ) {
    const byProperty: unknown = byTarget.get(target);
    if (byProperty instanceof Map) for (const name of byProperty.keys()) names.push(String(name));
    target = Object.getPrototypeOf(target);
  }
  return names;
}

function collectUnknownOptions(
  configClass: ConfigClass,
  plain: Record<string, unknown>,
  path: string,
  issues: ConfigIssue[],
): void {
  const known = configOptionNames(configClass);
  for (const [key, value] of Object.entries(plain)) {
    const keyPath = joinPath(path, key);
    if (!known.includes(key)) {
      issues.push({ path: keyPath, message: unknownOptionMessage(key, known) });
      continue;
    }
    const nested = nestedConfigClass(configClass, key);
    if (nested === undefined) continue;
    if (isRecord(value)) collectUnknownOptions(nested, value, keyPath, issues);
    else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isRecord(item)) collectUnknownOptions(nested, item, joinPath(keyPath, String(index)), issues);
      });
    }
  }
}

function unknownOptionMessage(key: string, known: readonly string[]): string {
  if (known.length === 0) return 'unknown option; this component takes no options';
  const guess = closestMatch(key, known);
  const close = guess !== undefined && editDistance(key, guess) <= Math.max(2, Math.floor(key.length / 3));
  const hint = close ? ` did you mean '${guess}'?` : '';
  return `unknown option;${hint} Known options: ${[...known].sort().join(', ')}`;
}

function collectViolations(errors: readonly ValidationError[], path: string, issues: ConfigIssue[]): void {
  for (const error of errors) {
    const errorPath = joinPath(path, error.property);
    // Constraints come in reverse source order (see validationMetadatas).
    const messages = Object.entries(error.constraints ?? {})
      .reverse()
      .map(([name, message]) =>
        name === 'nestedValidation' ? nestedMessage(error, message) : stripProperty(error, message),
      );
    if (messages.length > 0) {
      const missing = error.value === undefined;
      const message = missing ? `required option is missing (${messages.join('; ')})` : messages.join('; ');
      issues.push(missing ? { path: errorPath, message } : { path: errorPath, message, value: error.value });
    }
    collectViolations(error.children ?? [], errorPath, issues);
  }
}

function stripProperty(error: ValidationError, message: string): string {
  return message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
}

function nestedMessage(error: ValidationError, message: string): string {
  const listExpected = message.startsWith('each ') && !/^\d+$/.test(error.property);
  return listExpected ? 'must be a list of mappings' : 'must be a mapping of options';
}

/** Sorts issues by where their path appears in `plain`; missing options go after their siblings. */
function inDocumentOrder(issues: readonly ConfigIssue[], plain: unknown, path: string): ConfigIssue[] {
  const spans = new Map<string, { start: number; end: number }>();
  let counter = 0;
  const visit = (value: unknown, at: string): void => {
    const span = { start: counter++, end: 0 };
    spans.set(at, span);
    if (isRecord(value)) for (const [key, child] of Object.entries(value)) visit(child, joinPath(at, key));
    else if (Array.isArray(value)) value.forEach((child, index) => visit(child, joinPath(at, String(index))));
    span.end = counter - 1;
  };
  visit(plain, path);
  const rank = (issuePath: string): number => {
    const exact = spans.get(issuePath);
    if (exact !== undefined) return exact.start;
    for (let at = issuePath; at !== ''; ) {
      at = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '';
      const ancestor = spans.get(at);
      if (ancestor !== undefined) return ancestor.end + 0.5;
    }
    return Number.MAX_SAFE_INTEGER;
  };
  return issues
    .map((issue, index) => ({ issue, index, rank: rank(issue.path) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ issue }) => issue);
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Values from `!Env` tags and the environment are strings: a string bound for an option declared
 * `number` or `boolean` becomes one when it reads exactly as one (`"8080"`, `"-1.5"`, `"true"`,
 * `"false"`). Anything else is left as it is, so validation reports the original value.
 */
function coerceStrings(configClass: ConfigClass, input: Record<string, unknown>): Record<string, unknown> {
  let output: Record<string, unknown> | undefined;
  let defaults: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'string') continue;
    let type = Reflect.getMetadata('design:type', configClass.prototype as object, key) as unknown;
    if (type === undefined || type === Object) {
      // No annotation (`port = 5432`): the default value tells the type.
      defaults ??= (freshInstance(configClass) ?? {}) as Record<string, unknown>;
      const fallback = typeof defaults[key];
      type = fallback === 'number' ? Number : fallback === 'boolean' ? Boolean : type;
    }
    let converted: unknown = value;
    if (type === Number && /^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) converted = Number(value);
    else if (type === Boolean && (value === 'true' || value === 'false')) converted = value === 'true';
    if (converted !== value) (output ??= { ...input })[key] = converted;
  }
  return output ?? input;
}
