import type { Context } from './context';
import type { TransactionScope } from './transaction-scope';

export type { TransactionScope } from './transaction-scope';
import { transactionScope } from './internal';

/**
 * Attaches `scope` to `ctx` (one per context; a second replaces the first). For battery authors:
 * the SQL battery attaches its session here when a context opens a transaction.
 */
export function attachTransactionScope(ctx: Context, scope: TransactionScope): void {
  ctx[transactionScope] = scope;
}

/** The nearest active transaction scope of `ctx` or its ancestors, if any. */
export function activeTransactionScope(ctx: Context): TransactionScope | undefined {
  for (let at: Context | undefined = ctx; at; at = at.parent) {
    const scope = at[transactionScope];
    if (scope?.active) return scope;
  }
  return undefined;
}

/**
 * Runs `fn` after the open transaction of `ctx` (or of the nearest ancestor that has one) commits,
 * and never when it rolls back. With no open transaction, `fn` runs at once. Returns whether it
 * was deferred. `fn` handles its own failures (a deferred one that throws is reported by the
 * scope's battery, e.g. logged by the SQL session). The mailer and the task queue use it so that mail and jobs leave only once the
 * data they describe is committed.
 *
 * @example
 * afterCommit(ctx, () => mailer.send(welcome)); // sent once the request's transaction commits
 */
export function afterCommit(ctx: Context, fn: () => unknown): boolean {
  const scope = activeTransactionScope(ctx);
  if (scope === undefined) {
    void fn();
    return false;
  }
  scope.defer(fn);
  return true;
}
