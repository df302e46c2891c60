import { InvalidResourceError } from '../index';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Any function a worker can run: it receives structured-cloned arguments. */
export type TaskFunction = (...args: never[]) => unknown;

/**
 * A function exported by a module, to run in a worker thread. `F` is the function's type, so
 * `pool.run(task, ...args)` checks the arguments and types the result. Make one with {@link defineTask}.
 */
export interface Task<F extends TaskFunction = TaskFunction> {
  /** Absolute path of the module, or a path relative to the pool's `baseDir`. */
  readonly file: string;
  /** The export to call (`default` when the specifier names none). */
  readonly exportName: string;
  /** Carries `F` at the type level only. */
  readonly __type?: F;
}

const exportPattern = /^[A-Za-z_$][\w$]*$/;

/**
 * Names a task: `"<module path>:<export>"` (or a `file:` URL), keeping the exported function's
 * parameter and return types when you give them as the type argument. A relative path is resolved
 * against the pool's `baseDir` (default: the current directory); prefer an absolute one.
 *
 * @example
 * // tasks/hash.ts exports `function sha256(data: Uint8Array): string`
 * const sha256 = defineTask<typeof import('./tasks/hash').sha256>(`${__dirname}/tasks/hash.js:sha256`);
 * const digest = await pool.run(sha256, bytes); // string; the argument is type-checked
 */
export function defineTask<F extends TaskFunction>(specifier: string | URL): Task<F> {
  return parseTaskSpecifier(specifier) as Task<F>;
}

/** Internal: `"path:export"` (or a URL, with `#export`) as a {@link Task}. */
export function parseTaskSpecifier(specifier: string | URL): Task {
  let text = specifier instanceof URL ? specifier.href : specifier;
  if (typeof text !== 'string' || text.length === 0) {
    throw new InvalidResourceError(`a task is named "path/to/module.js:exportName", got ${JSON.stringify(specifier)}`);
  }
  let exportName = 'default';
  const hash = text.startsWith('file:') ? text.lastIndexOf('#') : -1;
  const colon = text.lastIndexOf(':');
  if (hash >= 0) {
    exportName = text.slice(hash + 1);
    text = text.slice(0, hash);
  } else if (colon > 1 && exportPattern.test(text.slice(colon + 1))) {
    // colon > 1 keeps a Windows drive letter (C:\...) out of it.
    exportName = text.slice(colon + 1);
    text = text.slice(0, colon);
  }
  if (!exportPattern.test(exportName)) {
    throw new InvalidResourceError(`task ${JSON.stringify(String(specifier))}: "${exportName}" is not an export name`);
  }
  const file = text.startsWith('file:') ? fileURLToPath(text) : text;
  return { file, exportName };
}

/** Internal: the task's module as an absolute path. */
export function resolveTaskFile(task: Task, baseDir: string): string {
  return isAbsolute(task.file) ? task.file : resolve(baseDir, task.file);
}
