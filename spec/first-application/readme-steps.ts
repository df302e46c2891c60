import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One step of a README section: write a file, run shell commands, or expect their output. */
export type ReadmeStep =
  | { readonly kind: 'file'; readonly path: string; readonly content: string }
  | { readonly kind: 'commands'; readonly lines: readonly string[] }
  | { readonly kind: 'output'; readonly lines: readonly string[] };

/**
 * The code blocks of the README section `heading`, in order: a block captioned **`path`** is a
 * file, an uncaptioned `sh` block is commands (one a line), a `text` block is what the commands
 * before it print. Any other block is an error, so the section cannot hold code the spec skips.
 */
export function readmeSteps(heading: string): ReadmeStep[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section '## ${heading}'`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const steps: ReadmeStep[] = [];
  for (const match of section.matchAll(/\n(?:([^\n]*)\n\n)?```(\w*)\n([\s\S]*?)\n```/g)) {
    const [, caption = '', lang, body = ''] = match;
    const file = /^\*\*`([^`]+)`\*\*$/.exec(caption.trim());
    if (file) steps.push({ kind: 'file', path: file[1]!, content: `${body}\n` });
    else if (lang === 'sh') steps.push({ kind: 'commands', lines: lines(body).filter((line) => !line.startsWith('#')) });
    else if (lang === 'text') steps.push({ kind: 'output', lines: lines(body) });
    else throw new Error(`README '${heading}': a \`${lang}\` block without a **\`path\`** caption: ${body.slice(0, 60)}`);
  }
  return steps;
}

function lines(body: string): string[] {
  return body.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}
