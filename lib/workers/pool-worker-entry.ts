import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECT, deserializeError, serializeError, type CallReply, type CallRequest, type TaskOutcome, type TaskPayload, type WireError } from './wire';

/** What the entry gets from the generated file: Node's modules and the shared error functions. */
interface EntryDeps {
  readonly threads: typeof import('node:worker_threads');
  readonly hooks: typeof import('node:async_hooks');
  readonly load: (file: string) => Promise<unknown>;
  readonly serializeError: typeof serializeError;
  readonly deserializeError: typeof deserializeError;
  readonly connectKey: string;
}

/** What `resource()` finds on `globalThis` inside a pool worker. */
export interface WorkerBridge {
  call(key: string, name: string | undefined, method: string, args: readonly unknown[]): Promise<unknown>;
}

/** The global `resource()` looks for: a symbol registered by name, so any copy of asphalt-ts in the worker finds it. */
export const BRIDGE = Symbol.for('asphalt-ts.worker-bridge');

/**
 * The body of the piscina worker script. It runs in the worker as source text, so it is
 * self-contained: everything it needs comes in `deps`. It loads task modules, runs the export with
 * the task id in an AsyncLocalStorage (so `resource()` knows which task calls), and carries calls
 * back to the main thread over one MessagePort per thread, created on the first call.
 */
function poolWorkerMain(deps: EntryDeps): (payload: TaskPayload) => Promise<TaskOutcome> {
  const { threads, hooks, load, connectKey } = deps;
  const currentTask = new hooks.AsyncLocalStorage<number>();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const functions = new Map<string, (...args: unknown[]) => unknown>();
  let port: import('node:worker_threads').MessagePort | undefined;
  let nextCall = 1;

  const callError = (message: string): Error => Object.assign(new Error(message), { name: 'WorkerCallError', code: 'ASPHALT_WORKER_CALL' });

  function connect(): import('node:worker_threads').MessagePort {
    const channel = new threads.MessageChannel();
    channel.port1.on('message', (reply: CallReply) => {
      const waiter = pending.get(reply.id);
      if (waiter === undefined) return;
      pending.delete(reply.id);
      if (pending.size === 0) channel.port1.unref();
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(deps.deserializeError(reply.error));
    });
    channel.port1.unref();
    threads.parentPort!.postMessage({ [connectKey]: true, port: channel.port2 }, [channel.port2]);
    return channel.port1;
  }

  const bridge: WorkerBridge = {
    call(key, name, method, args) {
      const taskId = currentTask.getStore();
      if (taskId === undefined) {
        return Promise.reject(
          callError(`${key}.${method}() was called outside a task run by a WorkerPool; call resource() from the task function (or code it awaits)`),
        );
      }
      const id = nextCall++;
      const request: CallRequest = { id, taskId, key, name, method, args };
      return new Promise((resolve, reject) => {
        const target = (port ??= connect());
        try {
          target.postMessage(request);
        } catch (error) {
          reject(callError(`the arguments of ${key}.${method}() cannot be sent to the main thread: ${(error as Error).message}`));
          return;
        }
        pending.set(id, { resolve, reject });
        target.ref();
      });
    },
  };
  (globalThis as Record<symbol, unknown>)[Symbol.for('asphalt-ts.worker-bridge')] = bridge;

  async function find(file: string, exportName: string): Promise<(...args: unknown[]) => unknown> {
    const cacheKey = `${file}#${exportName}`;
    const cached = functions.get(cacheKey);
    if (cached !== undefined) return cached;
    let exports: Record<string, unknown>;
    try {
      exports = (await load(file)) as Record<string, unknown>;
    } catch (error) {
      throw Object.assign(new Error(`cannot load task module ${file}: ${(error as Error).message}`), {
        name: 'WorkerTaskNotFoundError',
        code: 'ASPHALT_WORKER_TASK_NOT_FOUND',
        cause: error,
      });
    }
    const fn = exportName === 'default' && typeof exports === 'function' ? exports : exports?.[exportName];
    if (typeof fn !== 'function') {
      const names = Object.keys(exports ?? {}).filter((k) => typeof exports[k] === 'function');
      throw Object.assign(
        new Error(
          `task module ${file} has no function export '${exportName}'` +
            (names.length > 0 ? `; its function exports: ${names.join(', ')}` : '; it exports no function'),
        ),
        { name: 'WorkerTaskNotFoundError', code: 'ASPHALT_WORKER_TASK_NOT_FOUND' },
      );
    }
    functions.set(cacheKey, fn as (...args: unknown[]) => unknown);
    return fn as (...args: unknown[]) => unknown;
  }

  return async function runTask(payload: TaskPayload): Promise<TaskOutcome> {
    try {
      const fn = await find(payload.file, payload.exportName);
      const value = await currentTask.run(payload.taskId, () => fn(...payload.args));
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: deps.serializeError(error) as WireError };
    }
  };
}

/** The worker script: CommonJS, so `require` loads CommonJS and synchronous ESM task modules alike. */
function entrySource(): string {
  return [
    "'use strict';",
    '// Generated by asphalt-ts (lib/workers/pool-worker-entry.ts): the entry of WorkerPool threads.',
    `const serializeError = ${serializeError.toString()};`,
    `const deserializeError = ${deserializeError.toString()};`,
    'const load = async (file) => {',
    "  if (file.endsWith('.mjs')) return import(require('node:url').pathToFileURL(file).href);",
    '  try { return require(file); } catch (error) {',
    "    if (error && (error.code === 'ERR_REQUIRE_ESM' || error.code === 'ERR_REQUIRE_ASYNC_MODULE')) return import(require('node:url').pathToFileURL(file).href);",
    '    throw error;',
    '  }',
    '};',
    `module.exports = (${poolWorkerMain.toString()})({`,
    "  threads: require('node:worker_threads'), hooks: require('node:async_hooks'), load, serializeError, deserializeError,",
    `  connectKey: ${JSON.stringify(CONNECT)},`,
    '});',
    '',
  ].join('\n');
}

let entryFile: string | undefined;

/**
 * Internal: the path of the worker script, written once per content into the temp directory. A
 * generated file (rather than a file next to this one) works the same from compiled JavaScript,
 * from TypeScript run by a loader, and in tests.
 */
export function poolWorkerEntryFile(): string {
  if (entryFile !== undefined) return entryFile;
  const source = entrySource();
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'asphalt-ts');
  const file = join(dir, `pool-worker-${digest}.js`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return (entryFile = file);
}
