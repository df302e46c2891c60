/**
 * Where each configuration value came from, by dotted path.
 *
 * Paths are the keys joined with `.`; a `.` or `\` inside a key is escaped with a backslash
 * (`a\.b` is the single key `a.b`), the same syntax `--set` accepts. Array items are addressed by
 * index (`servers.1.port`). The root is the empty path `''`.
 */

import { closestMatch, editDistance } from '../../util/closest-match';

/** The origin of one value. */
export interface ValueSource {
  /** Shown to people: `config.yaml:12:3`, `--set a.b=1`, `env ASPHALT_LOG_LEVEL`, `!Env PORT (config.yaml:4:9)`. */
  readonly label: string;
  /** The directory relative paths in this value are resolved from (the file's, or the working directory). */
  readonly dir: string;
}

/** A plain object as produced by the YAML reader: `Object.prototype`, string keys. */
export type PlainRecord = Record<string, unknown>;

/** Whether `value` is a plain object (the only kind of value that is merged rather than replaced). */
export function isPlainRecord(value: unknown): value is PlainRecord {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
  );
}

/** `key` with `\` and `.` escaped, for use as one segment of a dotted path. */
export function escapeKey(key: string): string {
  return key.replace(/[\\.]/g, (char) => `\\${char}`);
}

/** The dotted path of `segments` (`['a.b', 'c']` gives `a\.b.c`). */
export function joinPath(segments: readonly string[]): string {
  return segments.map(escapeKey).join('.');
}

/** `path` extended by one key. */
export function childPath(path: string, key: string): string {
  return path === '' ? escapeKey(key) : `${path}.${escapeKey(key)}`;
}

/**
 * The keys of a dotted path: split on unescaped dots, `\.` is a dot and `\\` a backslash inside a
 * key (any other backslash is kept as is). `''` is the root (no keys).
 */
export function splitPath(path: string): string[] {
  if (path === '') return [];
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    const next = path[i + 1];
    if (char === '\\' && (next === '.' || next === '\\')) {
      current += next;
      i++;
    } else if (char === '.') {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

/** Kind of a value, for messages: `a string`, `a list`, `null`, ... */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (Buffer.isBuffer(value)) return 'binary data';
  if (isPlainRecord(value)) return 'a mapping';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  return `a ${typeof value}`;
}

/** The value at `segments` inside `root`, following mappings and list indexes. */
export function valueAt(root: unknown, segments: readonly string[]): { found: boolean; value: unknown } {
  let node = root;
  for (const segment of segments) {
    if (isPlainRecord(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment) && Number(segment) < node.length) {
      node = node[Number(segment)];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: node };
}

/** Sources by dotted path. */
export class SourceMap {
  readonly #byPath = new Map<string, ValueSource>();

  get(path: string): ValueSource | undefined {
    return this.#byPath.get(path);
  }

  set(path: string, source: ValueSource): void {
    this.#byPath.set(path, source);
  }

  /** Forgets `path` and everything below it. */
  clearUnder(path: string): void {
    if (path === '') {
      this.#byPath.clear();
      return;
    }
    const prefix = `${path}.`;
    for (const key of [...this.#byPath.keys()]) {
      if (key === path || key.startsWith(prefix)) this.#byPath.delete(key);
    }
  }

  /** Copies the entries of `other` at `fromPath` and below, re-rooted at `toPath`. */
  copyFrom(other: SourceMap, fromPath = '', toPath = ''): void {
    const prefix = fromPath === '' ? '' : `${fromPath}.`;
    for (const [key, source] of other.#byPath) {
      let rest: string;
      if (key === fromPath) rest = '';
      else if (key.startsWith(prefix)) rest = key.slice(prefix.length);
      else continue;
      const target = toPath === '' ? rest : rest === '' ? toPath : `${toPath}.${rest}`;
      this.#byPath.set(target, source);
    }
  }

  /**
   * Records the sources of `deepMerge(baseValue, overValue)` at `path`: where both are mappings the
   * keys merge, elsewhere the override's sources replace everything below.
   */
  mergeFrom(baseValue: unknown, overValue: unknown, over: SourceMap, path = '', overPath = path): void {
    if (isPlainRecord(baseValue) && isPlainRecord(overValue)) {
      const own = over.get(overPath);
      if (own !== undefined) this.set(path, own);
      for (const [key, value] of Object.entries(overValue)) {
        this.mergeFrom(Object.hasOwn(baseValue, key) ? baseValue[key] : undefined, value, over, childPath(path, key), childPath(overPath, key));
      }
      return;
    }
    this.clearUnder(path);
    this.copyFrom(over, overPath, path);
  }
}

/**
 * ` (did you mean "x"?)` when one of `candidates` is close to `word` (edit distance at most a
 * third of its length, and at least 2), else `''`.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (word.length > 200) return '';
  const best = closestMatch(word, candidates);
  if (best === undefined) return '';
  const limit = Math.max(2, Math.floor(word.length / 3));
  return editDistance(word, best) <= limit ? ` (did you mean "${best}"?)` : '';
}
