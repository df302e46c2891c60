import { visit, type Document, type LineCounter, type YAMLError } from 'yaml';
import type { ConfigIssue } from '../../errors';
import { childPath } from './config-sources';
import type { YamlContext } from './yaml-context';

/** A YAML syntax error as an issue: `file:line:col`, the message, the offending line and a caret. */
export function syntaxIssue(doc: Document, error: YAMLError, text: string, lineCounter: LineCounter, path: string, context: YamlContext): ConfigIssue {
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
