import { resolve, sep } from 'node:path';

const MAX_CAUSES = 5;
const libRoot = resolve(__dirname, '..');
/** The core's own folders: an error whose frames are all in these (or Node's) says nothing about the application's code. */
const coreDirs = ['components', 'config', 'context', 'events', 'graph', 'lifecycle', 'resources', 'runner', 'util'].map(
  (dir) => `${libRoot}${sep}${dir}${sep}`,
);

/**
 * The lines the pretty log format prints under a line whose `err` field is `error`: its stack
 * frames, then each cause (`caused by: Name: message`, left at its name when `text` already
 * says the message) with its frames. The frames of an error raised by the core itself (all in
 * asphalt-ts's own lifecycle, context or runner files) are left out: the cause's are the
 * application's. Every line is indented; the result ends with a newline, or is empty.
 */
export function describeErrorStack(error: unknown, text: string): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let depth = 0;
  for (let at: unknown = error; at instanceof Error && !seen.has(at) && depth <= MAX_CAUSES; at = at.cause, depth++) {
    seen.add(at);
    const said = at.message !== '' && text.includes(firstLine(at.message));
    if (depth > 0) lines.push(`    caused by: ${said ? at.name : `${at.name}: ${firstLine(at.message)}`}`);
    else if (!said) lines.push(`    ${at.name}: ${firstLine(at.message)}`);
    const frames = framesOf(at);
    if (frames.every(isCoreFrame)) continue;
    for (const frame of frames) lines.push(`${depth > 0 ? '      ' : '    '}${frame}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

/** The `at ...` lines of the error's stack (after its message, which may hold such lines too), trimmed. */
function framesOf(error: Error): string[] {
  const stack = error.stack ?? '';
  const end = error.message === '' ? -1 : stack.indexOf(error.message);
  return (end === -1 ? stack : stack.slice(end + error.message.length))
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
}

/** A frame of Node, of the core, or without a file (`Promise.all (index 0)`). */
function isCoreFrame(frame: string): boolean {
  if (frame.includes('(node:') || frame.startsWith('at node:') || coreDirs.some((dir) => frame.includes(dir))) return true;
  return !/[(\s]\/|[(\s][A-Za-z]:\\|file:\/\//.test(frame);
}
