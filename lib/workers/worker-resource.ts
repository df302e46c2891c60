import { DEFAULT_NAME, Token, type ResourceKey } from '../index';
import { WorkerCallError } from './worker-errors';
import type { WorkerBridge } from './pool-worker-entry';

/**
 * The methods of `T` as seen from a worker: each returns a promise of its structured-cloned result.
 * Properties that are not methods are left out.
 */
export type Remote<T> = {
  readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * Internal: how a key crosses threads. A token by its id (`token:Mailer`), a class by its name
 * (`class:Mailer`): the worker has its own copies of both, so identity cannot cross.
 */
export function wireKey(key: ResourceKey<unknown>): string {
  if (key instanceof Token) return `token:${key.id}`;
  if (typeof key === 'function' && key.name) return `class:${key.name}`;
  // Another copy of asphalt-ts in the worker has its own Token class: accept anything token-shaped.
  const id = (key as { id?: unknown }).id;
  if (typeof key === 'object' && key !== null && typeof id === 'string') return `token:${id}`;
  throw new WorkerCallError(`resource(): ${String(key)} is not a resource key (a named class or a token)`);
}

/**
 * In a task running in a {@link WorkerPool} thread: a proxy of the main thread's resource `key`
 * (`name`), looked up in the context that submitted the task. Each method call runs on the main
 * thread, in that context, and resolves with the structured-cloned result; errors travel both
 * ways with their code and stack. The main thread must share the key with `exposeToWorkers(key)`.
 *
 * @example
 * // tasks/report.ts, run with pool.run(report, rows)
 * export async function report(rows: Row[]) {
 *   const pdf = render(rows);                         // CPU-heavy, off the event loop
 *   await resource(Mailer).send({ to: 'ops@example.com', attachment: pdf });
 *   await resource(Progress).dispatch({ done: rows.length }); // a main-thread Signal
 * }
 */
export function resource<T>(key: ResourceKey<T>, name?: string): Remote<T> {
  const wire = wireKey(key);
  const resourceName = name === DEFAULT_NAME ? undefined : name;
  return new Proxy({} as Remote<T>, {
    get(_target, member) {
      // Not thenable, so that `await resource(X)` gives the proxy instead of hanging.
      if (typeof member !== 'string' || member === 'then') return undefined;
      return (...args: unknown[]) => {
        const bridge = (globalThis as Record<symbol, WorkerBridge | undefined>)[Symbol.for('asphalt-ts.worker-bridge')];
        if (bridge === undefined) {
          return Promise.reject(
            new WorkerCallError(
              `resource(${wire}).${member}() works only in a task run by a WorkerPool thread; on the main thread use ` +
                `await ctx.getResource(...)`,
            ),
          );
        }
        return bridge.call(wire, resourceName, member, args);
      };
    },
  });
}
