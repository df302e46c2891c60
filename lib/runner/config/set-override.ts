import type { ConfigIssue } from '../../errors';
import {
  childPath,
  describeKind,
  isPlainRecord,
  joinPath,
  splitPath,
  type PlainRecord,
  SourceMap,
  type ValueSource,
} from './config-sources';
import { parseYaml } from './parse-yaml';
import type { TagFiles } from './tag-files';
import { MAX_DEPTH } from './yaml-context';

/**
 * A `key.path=value` override given by another flag than `--set` (e.g. `--start-timeout 5000` is
 * `runner.startTimeout=5000`), with the label that config errors show as its source.
 */
export interface LabelledSet {
  readonly set: string;
  /** How the user wrote it, e.g. `--start-timeout 5000`. */
  readonly label: string;
}

/** One parsed `--set key.path=value` flag. */
export interface SetOverride {
  /** The flag as shown in sources: `--set a.b=1`. */
  readonly label: string;
  /** The keys of the path (`a\.b.c` gives `['a.b', 'c']`). */
  readonly keys: readonly string[];
  /** The value, parsed as YAML (tags included); an empty value is the empty string. */
  readonly value: unknown;
  /** Sources of the value, rooted at the full path. */
  readonly sources: SourceMap;
}

/**
 * Parses `--set` flags. `key.path=value`: the path is split on unescaped dots (`\.` is a dot in a
 * key, `\\` a backslash), the value is YAML (`5` is a number, `[a, b]` a list, `!Env X` reads the
 * environment, `!TextFile p` is relative to `cwd`); `key=` sets the empty string (write `key=null`
 * or `key=~` for null). Problems (no `=`, an empty key, invalid YAML) go to `issues`.
 */
export function parseSetFlags(
  flags: readonly (string | LabelledSet)[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  files?: TagFiles,
): SetOverride[] {
  const overrides: SetOverride[] = [];
  for (const entry of flags) {
    const flag = typeof entry === 'string' ? entry : entry.set;
    const label = typeof entry === 'string' ? `--set ${entry}` : entry.label;
    const equals = flag.indexOf('=');
    if (equals === -1) {
      issues.push({ path: '', message: `--set needs key.path=value, got "${flag}" (no "=")`, source: label });
      continue;
    }
    const keyText = flag.slice(0, equals);
    const keys = splitPath(keyText);
    if (keys.length > MAX_DEPTH) {
      // The same limit as a file's nesting; the path is shortened for the message.
      issues.push({
        path: keyText.length > 80 ? `${keyText.slice(0, 79)}…` : keyText,
        message: `the --set path has ${keys.length} segments; paths are nested at most ${MAX_DEPTH} levels deep`,
        source: label.length > 100 ? `${label.slice(0, 99)}…` : label,
      });
      continue;
    }
    if (keys.length === 0 || keys.some((key) => key === '')) {
      issues.push({ path: keyText, message: `--set needs a dotted key path before "=", with no empty keys`, source: label });
      continue;
    }
    if (keys.includes('__proto__')) {
      issues.push({ path: keyText, message: 'the key __proto__ is not allowed', source: label });
      continue;
    }
    const path = joinPath(keys);
    const text = flag.slice(equals + 1);
    if (text.trim() === '') {
      const sources = emptySources(path, { label, dir: cwd });
      overrides.push({ label, keys, value: '', sources });
      continue;
    }
    const parsed = parseYaml(text, path, { label, dir: cwd, positions: false, env, issues, files, depth: keys.length });
    if (parsed.ok) overrides.push({ label, keys, value: parsed.value, sources: parsed.sources });
  }
  return overrides;
}

function emptySources(path: string, source: ValueSource): SourceMap {
  const map = new SourceMap();
  map.set(path, source);
  return map;
}

/**
 * Sets `override` in `root` (mutating it), replacing whatever was at its path, and records its
 * sources in `sources`. Missing or null mappings on the way are created; a list on the way is
 * indexed by number (an index up to its length); anything else on the way is an error.
 *
 * @param skip how many leading keys of the path `root` already stands for (1 for `runner.x` set
 *   into the runner section).
 */
export function applySetOverride(
  root: PlainRecord,
  sources: SourceMap,
  override: SetOverride,
  issues: ConfigIssue[],
  skip = 0,
): void {
  const { keys, label } = override;
  const source: ValueSource = override.sources.get(joinPath(keys)) ?? { label, dir: '' };
  let node: unknown = root;
  let path = joinPath(keys.slice(0, skip));
  for (let i = skip; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    const keyPath = childPath(path, key);
    if (isPlainRecord(node)) {
      if (last) {
        node[key] = override.value;
      } else {
        const existing = Object.hasOwn(node, key) ? node[key] : undefined;
        if (existing === undefined || existing === null) {
          node[key] = {};
          sources.clearUnder(keyPath);
          sources.set(keyPath, source);
        }
        node = node[key];
      }
    } else if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(key) && Number(key) <= node.length) {
      const index = Number(key);
      if (last) {
        node[index] = override.value;
      } else {
        if (index === node.length || node[index] === null) {
          node[index] = {};
          sources.clearUnder(keyPath);
          sources.set(keyPath, source);
        }
        node = node[index];
      }
    } else {
      const what = Array.isArray(node) ? `a list of ${node.length} (index with 0..${node.length})` : describeKind(node);
      issues.push({
        path: joinPath(keys),
        message: `cannot set: ${path} is ${what}, not a mapping`,
        source: label,
      });
      return;
    }
    path = keyPath;
  }
  sources.clearUnder(path);
  sources.copyFrom(override.sources, path, path);
}
