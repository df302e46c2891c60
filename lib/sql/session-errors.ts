import { SqlCommitError, SqlSessionError } from './sql-errors';

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A transaction that could not commit: `what` happened instead, because of `cause`. */
export function notCommitted(what: string, cause: unknown, becauseOfChild: boolean): SqlCommitError {
  const why = becauseOfChild
    ? "a child context that joined this transaction ended with an error (give that child propagation 'nested' to recover from its errors)"
    : 'a statement failed earlier in this transaction (PostgreSQL refuses every statement after a failure until the transaction ends)';
  return new SqlCommitError(`not committed, ${what}: ${why}: ${errorMessage(cause)}`, { cause });
}

/** A statement on a session whose context has ended. */
export function closedError(endedBecause: string): SqlSessionError {
  return new SqlSessionError(
    `this SQL session cannot run statements any more: ${endedBecause}. Run SQL while the context that asked for the ` +
      'session is open (await the work before the context closes)',
  );
}

/** A statement of a joined child after its parent's transaction ended. */
export function outlivedError(parentEndedBecause: string): SqlSessionError {
  return new SqlSessionError(
    `this session joined the transaction of a parent context, which has already ended (${parentEndedBecause}); ` +
      "the child context outlived its parent's commit. Finish the child's work before the parent closes, or give it " +
      "propagation 'new' (a transaction of its own)",
  );
}
