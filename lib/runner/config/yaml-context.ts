import type { ConfigIssue } from '../../errors';
import type { TagFiles } from './tag-files';

/** The tags the config reader understands; any other `!tag` is an error. */
export const CONFIG_TAGS = ['!Env', '!TextFile', '!BinaryFile'] as const;

/** Standard YAML tags (`!!str 5`, `!!binary ...`) that are allowed explicitly. */
export const STANDARD_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'binary'].map((name) => `tag:yaml.org,2002:${name}`),
);

/** Deeper nesting than this is refused (it is never a real configuration, and walking it costs stack). */
export const MAX_DEPTH = 200;
/** More nodes than this (aliases expanded) are refused, which defuses "billion laughs" documents. */
export const MAX_NODES = 100_000;

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
