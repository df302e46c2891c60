import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { SourceMap } from './config-sources';
import { YamlWalker } from './yaml-walker';
import { syntaxIssue } from './yaml-syntax-issue';
import type { YamlContext } from './yaml-context';

/** At most this many YAML syntax errors are listed per document. */
const MAX_SYNTAX_ERRORS = 5;

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
    // 70 s); the walker reports duplicates itself in linear time.
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
  const walker = new YamlWalker(doc, text, lineCounter, context, sources);
  const value = walker.walk(doc.contents, path, context.depth ?? 0, undefined);
  return { value, ok: context.issues.length === issueCount, sources };
}
