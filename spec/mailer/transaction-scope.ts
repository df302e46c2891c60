import { attachTransactionScope, type Context } from '../../lib';

/** A unit of work's transaction, as the SQL battery attaches it to a context (work held until commit). */
export interface OpenTransaction {
  /** Runs what was held, in order, and ends the transaction. */
  commit(): Promise<void>;
  /** Drops what was held and ends the transaction. */
  rollback(): void;
}

/**
 * Attaches a transaction scope to `ctx` with the core's `attachTransactionScope`, standing in for
 * the SQL battery's session where a spec is about the mailer's side of the contract.
 */
export function openTransaction(ctx: Context): OpenTransaction {
  const held: (() => unknown)[] = [];
  let active = true;
  attachTransactionScope(ctx, {
    get active() {
      return active;
    },
    defer: (fn) => void held.push(fn),
  });
  return {
    async commit() {
      active = false;
      for (const fn of held.splice(0)) await fn();
    },
    rollback() {
      active = false;
      held.length = 0;
    },
  };
}
