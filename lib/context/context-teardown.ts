import { TeardownGeneratorError } from '../errors';
import type { Context } from './context';

/** What `contextTeardown` wraps: an async generator function whose first parameter is the context. */
export type TeardownGeneratorFunction<A extends unknown[], Y> = (ctx: Context, ...args: A) => AsyncGenerator<Y, unknown, undefined>;

const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as unknown;

/**
 * Setup and teardown written as one function (Asphalt's `@context_teardown`): wraps an async
 * generator function so that calling it with a context runs the code before its `yield` at once,
 * and the code after it when that context closes.
 *
 * - The call resolves with the value the generator yields. A generator must yield exactly once: one
 *   that returns without yielding rejects the call (its teardown could never run), one that yields
 *   again fails the close.
 * - At a clean close the `yield` simply returns; when the context closes with an error, that error
 *   is thrown at the `yield`, so a `try/catch` around it sees it (roll back there).
 * - The part after the `yield` runs as one teardown callback (last in, first out with the others),
 *   inside the context (`Context.current()` works). An error it throws is a failing teardown step,
 *   listed in the close's `TeardownError` under the generator's name; rethrowing the closing error
 *   it was given is not (it only declines to handle it).
 * - An error thrown before the `yield` rejects the call; nothing is registered.
 *
 * @throws TeardownGeneratorError at once for a function that is not an async generator function;
 *   the call rejects with one for a generator that ends without yielding, and the close fails with
 *   one (as a teardown failure) for a generator that yields a second time.
 * @example
 * const openDb = contextTeardown(async function* openDb(ctx: Context) {
 *   const db = await Db.connect();
 *   ctx.addResource(db, { types: [Db] });
 *   try {
 *     yield db;
 *     await db.commit();
 *   } catch (error) {
 *     await db.rollback();
 *   } finally {
 *     await db.close();
 *   }
 * });
 * const db = await openDb(ctx); // ... later, ctx.close(error) rolls back and closes
 */
export function contextTeardown<A extends unknown[], Y>(fn: TeardownGeneratorFunction<A, Y>): (ctx: Context, ...args: A) => Promise<Y> {
  const given: unknown = fn;
  if (typeof given !== 'function' || !(given instanceof (AsyncGeneratorFunction as typeof Function))) {
    const what = typeof given === 'function' ? `${given.name || 'the function'} is ${kindOf(given)}` : `got ${given === null ? 'null' : typeof given}`;
    throw new TeardownGeneratorError(
      `contextTeardown: expected an async generator function (async function* (ctx) { ...; yield; ... }), but ${what}; ` +
        'write the setup before a single `yield` and the teardown after it',
    );
  }
  const label = `contextTeardown(${fn.name || 'anonymous'})`;
  return async (ctx, ...args) => {
    const generator = fn(ctx, ...args);
    const first = await ctx.run(() => generator.next());
    if (first.done) {
      throw new TeardownGeneratorError(
        `${label} returned without yielding, so its teardown would never run; yield once (yield; or yield value), ` +
          'with the teardown after the yield',
      );
    }
    const resume = async (error: unknown): Promise<void> => {
      let step: IteratorResult<Y, unknown>;
      try {
        step = error === undefined ? await generator.next() : await generator.throw(error);
      } catch (failure) {
        if (failure === error) return;
        throw failure;
      }
      if (step.done) return;
      await generator.return(undefined).catch(() => undefined);
      throw new TeardownGeneratorError(
        `${label} yielded a second time while its context was closing; a teardown generator yields exactly once ` +
          '(put everything after that single yield, in try/catch/finally)',
      );
    };
    Object.defineProperty(resume, 'name', { value: label });
    try {
      ctx.addTeardownCallback(resume);
    } catch (refused) {
      // The context closed meanwhile: tear down now, with the reason, rather than never.
      await ctx.run(() => resume(refused)).catch(() => undefined);
      throw refused;
    }
    return first.value;
  };
}

function kindOf(fn: object): string {
  switch (fn.constructor.name) {
    case 'AsyncFunction':
      return 'an async function (write async function* and yield once)';
    case 'GeneratorFunction':
      return 'a synchronous generator function (write async function*)';
    default:
      return 'a plain function';
  }
}
