import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type YAMLError, type YAMLMap } from 'yaml';
import type { ConfigIssue } from '../../errors';
import { childPath, SourceMap, type ValueSource } from './config-sources';

/** The tags the config reader understands; any other `!tag` is an error. */
export const CONFIG_TAGS = ['!Env', '!TextFile', '!BinaryFile'] as const;

/** Standard YAML tags (`!!str 5`, `!!binary ...`) that are allowed explicitly. */
const STANDARD_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'binary'].map((name) => `tag:yaml.org,2002:${name}`),
);

/** Deeper nesting than this is refused (it is never a real configuration, and walking it costs stack). */
export const MAX_DEPTH = 200;
/** More nodes than this (aliases expanded) are refused, which defuses "billion laughs" documents. */
export const MAX_NODES = 100_000;
/**
 * `!TextFile` and `!BinaryFile` may load at most this many bytes in total per configuration (each
 * file counted once, however many aliases or tags name it).
 */
export const MAX_TAG_FILE_BYTES = 32 * 1024 * 1024;
/** At most this many YAML syntax errors are listed per document. */
const MAX_SYNTAX_ERRORS = 5;

/** Where a YAML text comes from and what its tags may use. */
export interface YamlContext {
  /** Shown in sources: the file name as given, or `--set a.b=1`. */
  readonly label: string;
  /** Directory that `!TextFile`/`!BinaryFile` paths are relative to. */
  readonly dir: string;
  /** Give each value its own `label:line:col` (files) rather than just `label` (`--set`). */
  readonly positions: boolean;
  /** Environment for `!Env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Problems found are appended here. */
  readonly issues: ConfigIssue[];
  /** The tag files of the whole configuration (read once, bounded); default: this text's own. */
  readonly files?: TagFiles;
  /** How deep the document's root already is (a `--set` path's segments), against {@link MAX_DEPTH}. */
  readonly depth?: number;
}

/**
 * The files `!TextFile`/`!BinaryFile` loaded for one configuration: each file is read once (an alias
 * or a second tag naming it gets the same contents), and the bytes read are bounded.
 */
export class TagFiles {
  readonly #read = new Map<string, string | Buffer>();
  readonly #refused = new Set<string>();
  #bytes = 0;

  constructor(readonly limit = MAX_TAG_FILE_BYTES) {}

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The file's contents (read once); throws a `TagFileLimit` past the limit, an fs error otherwise. */
  load(absolute: string, tag: '!TextFile' | '!BinaryFile'): string | Buffer {
    const key = `${tag}\0${absolute}`;
    const known = this.#read.get(key);
    if (known !== undefined) return known;
    // A file refused once is reported once (an alias of it a hundred times is one problem).
    if (this.#refused.has(key)) throw new TagFileLimit('', true);
    const other = this.#read.get(`${tag === '!TextFile' ? '!BinaryFile' : '!TextFile'}\0${absolute}`);
    let content: string | Buffer;
    if (other !== undefined) {
      content = typeof other === 'string' ? Buffer.from(other, 'utf8') : other.toString('utf8');
    } else {
      const stat = statSync(absolute);
      if (!stat.isFile()) throw new TagFileLimit(`${absolute} is not a regular file`);
      if (this.#bytes + stat.size > this.limit) {
        this.#refused.add(key);
        throw new TagFileLimit(this.#overLimit(stat.size));
      }
      const bytes = readFileSync(absolute);
      // The file may have grown since stat.
      if (this.#bytes + bytes.length > this.limit) {
        this.#refused.add(key);
        throw new TagFileLimit(this.#overLimit(bytes.length));
      }
      this.#bytes += bytes.length;
      content = tag === '!TextFile' ? bytes.toString('utf8') : bytes;
    }
    this.#read.set(key, content);
    return content;
  }

  #overLimit(size: number): string {
    return (
      `the file has ${size} bytes, and tags may load at most ${this.limit} bytes in total per configuration ` +
      `(${this.#bytes} already loaded); a config is not the place for large files: read it in the component instead`
    );
  }
}

/** A tag file that is refused without an fs error: not a regular file, or past the byte limit. */
class TagFileLimit extends Error {
  constructor(
    message: string,
    /** Refused before, and reported then. */
    readonly repeated = false,
  ) {
    super(message);
  }
}

/** A parsed YAML value with the source of every value in it. */
export interface ParsedYaml {
  /** `undefined` when the text could not be parsed (the problems are in the context's issues). */
  readonly value: unknown;
  readonly ok: boolean;
  /** Sources by dotted path, rooted at the `path` given to {@link parseYaml}. */
  readonly sources: SourceMap;
}

/**
 * Parses `text` as one YAML document with the safe config schema (core schema plus `!Env`,
 * `!TextFile` and `!BinaryFile`; nothing ever loads a module or runs code) into plain values.
 *
 * @param path dotted path the document's root is placed at (for issue paths and sources).
 */
export function parseYaml(text: string, path: string, context: YamlContext): ParsedYaml {
  const sources = new SourceMap();
  const lineCounter = new LineCounter();
  const issueCount = context.issues.length;
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    strict: true,
    // The parser's duplicate-key check compares every pair of keys (quadratic: 90,000 keys took
    // 70 s); the walker below reports duplicates itself in linear time.
    uniqueKeys: false,
    schema: 'core',
    version: '1.2',
  });
  const problems: YAMLError[] = [
    ...doc.errors,
    ...doc.warnings.filter((warning) => warning.code !== 'TAG_RESOLVE_FAILED'),
  ];
  if (problems.length > 0) {
    for (const problem of problems.slice(0, MAX_SYNTAX_ERRORS)) {
      context.issues.push(syntaxIssue(doc, problem, text, lineCounter, path, context));
    }
    if (problems.length > MAX_SYNTAX_ERRORS) {
      context.issues.push({
        path,
        message: `${context.label}: ${problems.length - MAX_SYNTAX_ERRORS} more YAML syntax errors not shown`,
      });
    }
    return { value: undefined, ok: false, sources };
  }
  const walker = new Walker(doc, text, lineCounter, context, sources);
  const value = walker.walk(doc.contents, path, context.depth ?? 0, undefined);
  return { value, ok: context.issues.length === issueCount, sources };
}

/** A YAML syntax error as an issue: `file:line:col`, the message, the offending line and a caret. */
function syntaxIssue(doc: Document, error: YAMLError, text: string, lineCounter: LineCounter, path: string, context: YamlContext): ConfigIssue {
  let offset = Math.min(Math.max(error.pos[0], 0), text.length);
  let message = error.message;
  if (error.code === 'MISSING_CHAR' && /quote/.test(message)) {
    // The error is reported where the text ends; point at the opening quote instead.
    const start = quotedScalarStart(doc, offset);
    if (start !== undefined) {
      offset = start;
      message += ' (the quoted string that starts here is never closed)';
    }
  }
  let issuePath = path;
  if (error.code === 'BAD_INDENT') {
    // The parser points at the start of the line; point at the key and say where it belongs.
    const hint = indentationHint(text, lineCounter.linePos(offset).line);
    if (hint !== undefined) {
      offset = hint.offset;
      message += `: '${hint.key}' is at column ${hint.column}, but the keys of ${hint.parent.length ? hint.parent.join('.') : 'the top level'} ` +
        `start at column ${hint.expected} (line ${hint.siblingLine}); indent it like them (with spaces), or move it under another key`;
      issuePath = [...hint.parent, hint.key].reduce((p, k) => childPath(p, k), path);
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  const where = context.positions ? `${context.label}:${line}:${col}` : context.label;
  const lineStart = lineCounter.lineStarts[line - 1] ?? 0;
  const lineEnd = text.indexOf('\n', lineStart);
  const lineText = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  return { path: issuePath, message: `${where}: YAML syntax error: ${message}\n${caretSnippet(lineText, line, col)}` };
}

const keyLine = /^( *)([^\s#:'"{[\-][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)/;

/**
 * For a mapping key on `line` (1-based) indented unlike its siblings: the key, its column, the
 * keys of the mappings it is inside (found by walking up to less indented `key:` lines), and the
 * column its siblings start at. `undefined` where the text is not simple block mappings.
 */
function indentationHint(
  text: string,
  line: number,
): { key: string; offset: number; column: number; parent: string[]; expected: number; siblingLine: number } | undefined {
  const lines = text.split('\n');
  // The parser may point at a blank or comment line before the key.
  while (line < lines.length && /^\s*(#.*)?\r?$/.test(lines[line - 1]!)) line++;
  const own = keyLine.exec((lines[line - 1] ?? '').replace(/\r$/, ''));
  if (own === null) return undefined;
  const indent = own[1]!.length;
  const unquote = (key: string): string => key.trim().replace(/^(["'])(.*)\1$/, '$2');
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i]!.length + 1;
  // Walk up: the first less indented line opens the mapping the key is in; its first child line
  // shows the siblings' column.
  const parent: string[] = [];
  let expected: number | undefined;
  let siblingLine = 0;
  let current = indent;
  let firstChild: { indent: number; line: number } | undefined;
  for (let i = line - 2; i >= 0; i--) {
    const textLine = lines[i]!.replace(/\r$/, '');
    if (textLine.trim() === '' || textLine.trimStart().startsWith('#')) continue;
    const lineIndent = textLine.length - textLine.trimStart().length;
    if (lineIndent >= current) {
      if (expected === undefined) firstChild = { indent: lineIndent, line: i + 1 };
      continue;
    }
    const match = keyLine.exec(textLine);
    if (match === null || textLine.slice(match[0].length).trim().replace(/#.*$/, '') !== '') return undefined;
    if (expected === undefined) {
      if (firstChild === undefined) return undefined;
      expected = firstChild.indent + 1;
      siblingLine = firstChild.line;
    }
    parent.unshift(unquote(match[2]!));
    current = lineIndent;
  }
  if (expected === undefined) {
    if (firstChild === undefined) return undefined;
    expected = firstChild.indent + 1;
    siblingLine = firstChild.line;
  }
  return { key: unquote(own[2]!), offset: offset + indent, column: indent + 1, parent, expected, siblingLine };
}

/** The start of the quoted scalar that ends at `offset`, if there is one. */
function quotedScalarStart(doc: Document, offset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const range = node.range;
      if (range && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && range[0] < offset && offset <= range[1]) {
        found = range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The line with its number and a caret under column `col` (1-based), long lines shortened. */
export function caretSnippet(lineText: string, line: number, col: number): string {
  const width = 100;
  let start = 0;
  let shown = lineText;
  if (lineText.length > width) {
    start = Math.max(0, Math.min(col - 1 - width / 2, lineText.length - width));
    shown = lineText.slice(start, start + width);
  }
  // Control characters would garble the terminal; tabs stay so the caret lines up.
  shown = shown.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
  const before = shown.slice(0, Math.max(0, col - 1 - start)).replace(/[^\t]/g, ' ');
  const number = String(line);
  return `      ${number} | ${shown}\n      ${' '.repeat(number.length)} | ${before}^`;
}

type Node = unknown;

class Walker {
  #nodes = 0;
  #tooDeep = false;
  #tooMany = false;
  /** `Alias.resolve` searches the whole document each time; expanding aliases must not. */
  readonly #aliases = new Map<unknown, unknown>();
  readonly #files: TagFiles;
  /** The `<<` merges the value being read came through, innermost last (for its source label). */
  readonly #via: string[] = [];
  readonly #mergedPairs = new Map<YAMLMap, readonly { key: string; keyNode: Node; value: Node }[]>();

  constructor(
    private readonly doc: Document,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
    private readonly context: YamlContext,
    private readonly sources: SourceMap,
  ) {
    this.#files = context.files ?? new TagFiles();
  }

  /** The plain value of `node` at `path`; `fallback` is the source for an empty node. */
  walk(node: Node, path: string, depth: number, fallback: ValueSource | undefined): unknown {
    if (++this.#nodes > MAX_NODES) {
      if (!this.#tooMany) this.issue(path, `more than ${MAX_NODES} values (after expanding aliases)`, fallback ?? this.at(node));
      this.#tooMany = true;
      return null;
    }
    if (depth > MAX_DEPTH) {
      if (!this.#tooDeep) this.issue(path, `nested more than ${MAX_DEPTH} levels deep`, this.at(node) ?? fallback);
      this.#tooDeep = true;
      return null;
    }
    if (node === null || node === undefined) {
      const source = fallback ?? this.source(undefined);
      this.sources.set(path, source);
      return null;
    }
    if (isAlias(node)) {
      const target = this.resolveAlias(node);
      const value = this.walk(target, path, depth + 1, this.at(node));
      this.sources.set(path, this.at(node) ?? this.source(undefined));
      return value;
    }
    const tag = (node as { tag?: string }).tag;
    if (tag === '!Env') return this.env(node, path, depth);
    if (tag === '!TextFile' || tag === '!BinaryFile') return this.file(node, tag, path);
    const here = this.at(node) ?? fallback ?? this.source(undefined);
    if (tag !== undefined && !STANDARD_TAGS.has(tag)) {
      this.issue(path, `unknown tag ${tag}: the tags available are ${CONFIG_TAGS.join(', ')} (no tag loads code)`, here);
      return null;
    }
    this.sources.set(path, here);
    if (isScalar(node)) return this.scalar(node.value, path, here);
    if (isMap(node)) return this.mapping(node, path, depth, here);
    if (isSeq(node)) {
      return node.items.map((item, index) => this.walk(item, childPath(path, String(index)), depth + 1, here));
    }
    this.issue(path, 'unsupported YAML node', here);
    return null;
  }

  /**
   * A mapping, with YAML merge keys (`<<: *base`, `<<: [*a, *b]`, `<<: { ... }`) as YAML 1.1
   * defines them: the merged mappings' keys are added unless the mapping has them itself (its own
   * keys win wherever they are written), and in a list the earlier mapping wins. A merged value
   * keeps the source of where it was written (the anchor's text), followed by the `<<` that
   * brought it here.
   */
  private mapping(node: YAMLMap, path: string, depth: number, here: ValueSource): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const own: { key: string; pair: (typeof node.items)[number] }[] = [];
    const merges: (typeof node.items)[number][] = [];
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        if (merges.length > 0) {
          this.issue(childPath(path, '<<'), 'duplicate merge key <<: merge several mappings with a list, <<: [*a, *b]', this.at(pair.key) ?? here);
          continue;
        }
        merges.push(pair);
        continue;
      }
      const key = this.key(pair.key, path);
      if (key !== undefined) own.push({ key, pair });
    }
    const ownKeys = new Set(own.map((entry) => entry.key));
    const written = new Set<string>();
    let ownIndex = 0;
    for (const pair of node.items) {
      if (pair === merges[0]) {
        this.merge(pair, path, depth, here, ownKeys, result);
        continue;
      }
      const entry = own[ownIndex];
      if (entry?.pair !== pair) continue;
      ownIndex++;
      const keyPath = childPath(path, entry.key);
      if (written.has(entry.key)) {
        this.issue(keyPath, 'duplicate key', this.at(pair.key) ?? here);
        continue;
      }
      written.add(entry.key);
      result[entry.key] = this.walk(pair.value, keyPath, depth + 1, this.at(pair.key) ?? here);
    }
    return result;
  }

  /** Adds the keys of the mappings a `<<` pair names to `result`, except `ownKeys` and keys already there. */
  private merge(
    pair: YAMLMap['items'][number],
    path: string,
    depth: number,
    here: ValueSource,
    ownKeys: ReadonlySet<string>,
    result: Record<string, unknown>,
  ): void {
    const mergePath = childPath(path, '<<');
    const at = this.at(pair.key) ?? here;
    const sources: { map: YAMLMap; via: string }[] = [];
    const bad = (node: Node): void => {
      const kind = isScalar(node) ? (node.value === null ? 'nothing' : `a ${typeof node.value}`) : isSeq(node) ? 'a list inside the list' : 'something else';
      this.issue(
        mergePath,
        `the merge key << takes a mapping: an alias of one (<<: *base), a list of aliases (<<: [*a, *b]) or a mapping written there; got ${kind}`,
        this.at(node) ?? at,
      );
    };
    const add = (node: Node, inList: boolean): void => {
      const target = isAlias(node) ? this.resolveAlias(node) : node;
      const tag = (target as { tag?: string } | null | undefined)?.tag;
      if (isMap(target) && (tag === undefined || STANDARD_TAGS.has(tag))) {
        sources.push({ map: target, via: `<<: ${isAlias(node) ? `*${node.source}` : 'a mapping'} at ${at.label}` });
      } else if (isSeq(target) && !inList && !isAlias(node)) {
        for (const item of target.items) add(item, true);
      } else {
        bad(target ?? null);
      }
    };
    add(pair.value, false);
    for (const { map, via } of sources) {
      for (const entry of this.mergedPairs(map, mergePath, [])) {
        if (ownKeys.has(entry.key) || Object.hasOwn(result, entry.key)) continue;
        this.#via.push(via);
        try {
          result[entry.key] = this.walk(entry.value, childPath(path, entry.key), depth + 1, this.at(entry.keyNode) ?? here);
        } finally {
          this.#via.pop();
        }
      }
    }
  }

  /** The pairs a merged mapping contributes: its own, then those of its own merges (cached per mapping). */
  private mergedPairs(map: YAMLMap, mergePath: string, stack: readonly YAMLMap[]): readonly { key: string; keyNode: Node; value: Node }[] {
    const known = this.#mergedPairs.get(map);
    if (known !== undefined) return known;
    if (stack.includes(map)) {
      this.issue(mergePath, 'the merge key << merges a mapping into itself (its alias is inside it)', this.at(map));
      return [];
    }
    const pairs: { key: string; keyNode: Node; value: Node }[] = [];
    const keys = new Set<string>();
    const nested: Node[] = [];
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        nested.push(pair.value);
        continue;
      }
      const key = plainKey(isAlias(pair.key) ? this.resolveAlias(pair.key) : pair.key);
      // Bad keys are reported where the mapping itself is read.
      if (key === undefined || keys.has(key)) continue;
      keys.add(key);
      pairs.push({ key, keyNode: pair.key, value: pair.value });
    }
    for (const value of nested.slice(0, 1)) {
      const targets = isAlias(value) ? [this.resolveAlias(value)] : isSeq(value) ? value.items.map((i) => (isAlias(i) ? this.resolveAlias(i) : i)) : [value];
      for (const target of targets) {
        if (!isMap(target)) continue; // reported where the mapping itself is read
        for (const entry of this.mergedPairs(target, mergePath, [...stack, map])) {
          if (keys.has(entry.key)) continue;
          keys.add(entry.key);
          pairs.push(entry);
        }
      }
    }
    this.#mergedPairs.set(map, pairs);
    return pairs;
  }

  /** A mapping key as a string: scalars only, no empty keys, no `__proto__`. */
  private key(node: Node, path: string): string | undefined {
    const target = isAlias(node) ? this.resolveAlias(node) : node;
    const where = this.at(node) ?? this.source(undefined);
    const tag = (target as { tag?: string } | null | undefined)?.tag;
    if (tag !== undefined && !STANDARD_TAGS.has(tag)) {
      this.issue(path, `a key cannot have the tag ${tag}`, where);
      return undefined;
    }
    if (!isScalar(target)) {
      this.issue(path, 'keys must be plain strings, not mappings or lists', where);
      return undefined;
    }
    const value = target.value;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.issue(path, `keys must be strings, got ${value === null ? 'an empty key' : typeof value}`, where);
      return undefined;
    }
    const key = String(value);
    if (key === '') {
      this.issue(path, 'empty keys are not allowed', where);
      return undefined;
    }
    if (key === '__proto__') {
      this.issue(childPath(path, key), 'the key __proto__ is not allowed', where);
      return undefined;
    }
    return key;
  }

  private resolveAlias(alias: Alias): unknown {
    if (!this.#aliases.has(alias)) this.#aliases.set(alias, alias.resolve(this.doc));
    return this.#aliases.get(alias);
  }

  private scalar(value: unknown, path: string, here: ValueSource): unknown {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (value instanceof Uint8Array) return Buffer.from(value);
    this.issue(path, `unsupported value of type ${typeof value}`, here);
    return null;
  }

  /** `!Env NAME` or `!Env [NAME, default]`. */
  private env(node: Node, path: string, depth: number): unknown {
    const here = this.at(node) ?? this.source(undefined);
    let nameNode: Node;
    let defaultNode: Node = undefined;
    let hasDefault = false;
    if (isScalar(node)) {
      nameNode = node;
    } else if (isSeq(node) && node.items.length === 2) {
      [nameNode, defaultNode] = node.items;
      hasDefault = true;
    } else {
      this.issue(path, '!Env takes a variable name (!Env NAME) or a name and a default (!Env [NAME, default])', here);
      return null;
    }
    const nameTag = nameNode === node ? undefined : (nameNode as { tag?: string } | null)?.tag;
    const name = isScalar(nameNode) && (nameTag === undefined || STANDARD_TAGS.has(nameTag)) ? nameNode.value : undefined;
    if (typeof name !== 'string' || name.trim() === '') {
      this.issue(path, '!Env needs an environment variable name, e.g. !Env PORT or !Env [PORT, 8080]', here);
      return null;
    }
    const value = this.context.env[name];
    if (value !== undefined) {
      this.sources.clearUnder(path);
      this.sources.set(path, { label: `!Env ${name} (${here.label})`, dir: here.dir });
      return value;
    }
    if (hasDefault) return this.walk(defaultNode, path, depth + 1, here);
    this.issue(path, `environment variable ${name} is not set (give a default with !Env [${name}, default])`, here);
    return null;
  }

  /** `!TextFile path` (a string) or `!BinaryFile path` (a Buffer). */
  private file(node: Node, tag: '!TextFile' | '!BinaryFile', path: string): unknown {
    const here = this.at(node) ?? this.source(undefined);
    const relative = isScalar(node) ? node.value : undefined;
    if (typeof relative !== 'string' || relative.trim() === '') {
      this.issue(path, `${tag} needs a file path, e.g. ${tag} ./secret.txt`, here);
      return null;
    }
    const absolute = resolve(this.context.dir, relative);
    try {
      const content = this.#files.load(absolute, tag);
      this.sources.set(path, { label: `${tag} ${relative} (${here.label})`, dir: here.dir });
      return content;
    } catch (error) {
      if (error instanceof TagFileLimit && error.repeated) return null;
      this.issue(path, `${tag} ${relative}: ${error instanceof TagFileLimit ? error.message : `${fileErrorText(error)} (${absolute})`}`, here);
      return null;
    }
  }

  private issue(path: string, message: string, source: ValueSource | undefined): void {
    const issue: ConfigIssue = source === undefined ? { path, message } : { path, message, source: source.label };
    if (source === undefined) {
      this.context.issues.push(issue);
      return;
    }
    // One value written once and read at several paths (aliases, merges) is one problem: the
    // first report of it names the other paths. A path under a top-level x- key (a place for
    // anchors, ignored) gives way to the path where the value is used.
    const written = `${message}\0${source.label.split(', merged by ')[0]}`;
    const first = this.#reported.get(written);
    if (first === undefined) {
      this.#reported.set(written, { index: this.context.issues.length, also: [] });
      this.context.issues.push(issue);
      return;
    }
    const existing = this.context.issues[first.index]!;
    if (/^x-/.test(existing.path) && !/^x-/.test(path)) {
      this.context.issues[first.index] = { ...existing, path, source: source.label };
      return;
    }
    if (/^x-/.test(path) || first.also.includes(path)) return;
    first.also.push(path);
    const shown = first.also.slice(0, 3).join(', ') + (first.also.length > 3 ? ` and ${first.also.length - 3} more` : '');
    this.context.issues[first.index] = { ...existing, message: `${message} (the same value is also used at ${shown})` };
  }

  /** Issues raised so far, by message and where the value is written. */
  readonly #reported = new Map<string, { index: number; also: string[] }>();

  /** The source of `node`'s position (its tag's, when it has one), if it has a position. */
  private at(node: Node): ValueSource | undefined {
    const { range, tag } = (node ?? {}) as { range?: readonly number[]; tag?: string };
    if (range === undefined) return undefined;
    return this.source(tag === undefined ? range[0] : tagStart(this.text, range[0]!));
  }

  private source(offset: number | undefined): ValueSource {
    if (!this.context.positions || offset === undefined) return { label: this.context.label, dir: this.context.dir };
    const { line, col } = this.lineCounter.linePos(offset);
    const via = this.#via.length === 0 ? '' : `, merged by ${[...this.#via].reverse().join(', in turn merged by ')}`;
    return { label: `${this.context.label}:${line}:${col}${via}`, dir: this.context.dir };
  }
}

/** Whether a mapping key is the YAML merge key: a plain, untagged `<<` (a quoted `"<<"` is an ordinary key). */
function isMergeKey(node: unknown): boolean {
  return isScalar(node) && node.value === '<<' && node.type === 'PLAIN' && node.tag === undefined;
}

/** A key's text when it is a valid key (what `Walker.key` accepts), else `undefined`. */
function plainKey(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const tag = node.tag;
  if (tag !== undefined && !STANDARD_TAGS.has(tag)) return undefined;
  const value = node.value;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const key = String(value);
  return key === '' || key === '__proto__' ? undefined : key;
}

/**
 * Where the tag of a node whose value starts at `offset` begins: the node's range starts after its
 * properties, so look back over at most two tokens (the tag and an anchor, in either order).
 */
function tagStart(text: string, offset: number): number {
  let i = offset - 1;
  for (let tokens = 0; tokens < 2; tokens++) {
    while (i >= 0 && /\s/.test(text[i]!)) i--;
    while (i >= 0 && !/[\s,[{]/.test(text[i]!)) i--;
    const start = i + 1;
    if (text[start] === '!') return start;
    if (text[start] !== '&') break;
  }
  return offset;
}

/** A file system error in words: `no such file`, `permission denied`, ... */
export function fileErrorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
