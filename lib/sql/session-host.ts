import type { Context } from '../index';
import type { SqlDriver } from './sql-driver';

/** What every session of one database shares (kept by `SqlDatabase`). Internal. */
export interface SessionHost<S> {
  readonly driver: SqlDriver;
  readonly autocommit: boolean;
  readonly readOnly: boolean;
  /**
   * The open session of each context that may hold a transaction, so a child context's session can
   * find its parent's (a Map entry removed at close: cheaper for the GC than a WeakMap's).
   */
  readonly sessions: Map<Context, S>;
  /** Sessions that hold a connection now (drained, then rolled back, at stop). */
  readonly open: Set<S>;
  /** Why sessions cannot start any more (set at stop), or undefined while running. */
  readonly stopped: string | undefined;
  /** Called when a session gives its connection back: `heldMs` since checkout, `sqlMs` spent in SQL. */
  released(session: S, heldMs: number, sqlMs: number): void;
  /** Runs work deferred until commit: each fn once, failures logged and signalled. */
  runDeferred(fns: readonly (() => unknown)[]): void;
  /** A rollback that failed while the context was ending with an error anyway: logged only. */
  rollbackFailed(error: unknown): void;
}
