import type { SqlDialect } from './sql-statement';

/** One row, as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/** What a statement returned: its rows (empty for a write without `RETURNING`) and the row count. */
export interface SqlResult<R = SqlRow> {
  readonly rows: R[];
  /** Rows returned, or rows changed by a write. */
  readonly rowCount: number;
}

/** One physical connection, without any locking (the lease serialises its statements). */
export interface RawConnection {
  readonly dialect: SqlDialect;
  /** `readOnly`: refuse a statement that writes (SQLite; PostgreSQL's READ ONLY transaction does it itself). */
  query(text: string, params: readonly unknown[], readOnly?: boolean): Promise<SqlResult>;
  /** Rows in batches of `batchSize`, the connection busy until the iteration ends. */
  stream(text: string, params: readonly unknown[], batchSize: number): AsyncGenerator<SqlRow>;
  /** Several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** Where an error reported by a driver came from. */
export type SqlErrorSource = 'idle-client' | 'client' | 'after-commit';

/** The pool, sizes and waits, for health and the bench. */
export interface SqlPoolStats {
  readonly total: number;
  readonly idle: number;
  /** Sessions waiting for a connection. */
  readonly waiting: number;
}

/** The database's native handle: the `pg.Pool` or the better-sqlite3 `Database`. */
export type SqlNativeHandle =
  | { readonly dialect: 'postgres'; readonly pool: import('pg').Pool }
  | { readonly dialect: 'sqlite'; readonly database: import('better-sqlite3').Database };

/** What a session gets from a driver: a checked-out connection. Internal. */
export interface SqlLease {
  query(text: string, params: readonly unknown[]): Promise<SqlResult>;
  stream(text: string, params: readonly unknown[], batchSize: number): AsyncGenerator<SqlRow>;
  exec(script: string): Promise<void>;
  begin(readOnly: boolean): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Gives the connection back (closes it when `broken`). */
  release(broken: boolean): void;
  /** Whether the driver saw this connection fail (it is closed, not reused, at release). */
  readonly broken: boolean;
}

/** A database behind the battery: PostgreSQL's pool, SQLite's one connection, a test binding. Internal. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** One connection only: a session cannot take a second one while an ancestor holds it. */
  readonly singleConnection: boolean;
  readonly native: SqlNativeHandle;
  acquire(): Promise<SqlLease>;
  /** One statement on its own, outside any transaction. */
  query(text: string, params: readonly unknown[]): Promise<SqlResult>;
  /** Proves the database answers (`SELECT 1`), with a clear error when it does not. */
  check(): Promise<void>;
  /** Runs `fn` on one connection holding the migration lock (an advisory lock on PostgreSQL). */
  withMigrationLock<T>(key: number, fn: (lease: SqlLease) => Promise<T>): Promise<T>;
  stats(): SqlPoolStats;
  close(): Promise<void>;
}
