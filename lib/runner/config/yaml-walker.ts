import { resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Alias, type Document, type LineCounter, type YAMLMap } from 'yaml';
import type { ConfigIssue } from '../../errors';
import { childPath, type SourceMap, type ValueSource } from './config-sources';
import { fileErrorText, TagFileLimit, TagFiles } from './tag-files';
import { CONFIG_TAGS, MAX_DEPTH, MAX_NODES, STANDARD_TAGS, type YamlContext } from './yaml-context';

type Node = unknown;

/** Reads a parsed YAML document into plain values: tags, aliases, merge keys, limits and the source of every value. */
export class YamlWalker {
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

/** A key's text when it is a valid key (what `YamlWalker.key` accepts), else `undefined`. */
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
