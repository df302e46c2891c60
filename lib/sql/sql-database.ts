import { Context, Signal, type Logger } from '../index';
import { applyMigrations } from './migrations';
import type { SessionHost } from './session-host';
import type { SqlDriver, SqlErrorSource, SqlNativeHandle, SqlPoolStats, SqlResult, SqlRow } from './sql-driver';
import { SqlMigrationError, SqlSessionError } from './sql-errors';
import { SqlSession } from './sql-session';
import { SqlStatement, type SqlDialect } from './sql-statement';

/** An error the database reported on its own: a connection failing, or work deferred until commit. */
export interface SqlErrorEvent {
  readonly database: string;
  /** `idle-client`: a pooled connection died while idle; `client`: while a session held it; `after-commit`: a deferred fn failed. */
  readonly source: SqlErrorSource;
  readonly error: unknown;
}

/** A context held a connection much longer than its SQL took (see the `holdWarning` option). */
export interface SqlHoldEvent {
  readonly database: string;
  readonly heldMs: number;
  readonly sqlMs: number;
}

/** What the health check reports (and `stats()` returns). */
export interface SqlDatabaseStats extends SqlPoolStats {
  readonly dialect: SqlDialect;
  /** Sessions that hold a connection now. */
  readonly sessions: number;
  /** How many hold warnings were given since start. */
  readonly holdWarnings: number;
  /** The last connection error, if any. */
  readonly lastError?: string;
}

/** What {@link SqlDatabase} is built from. Internal. */
export interface SqlDatabaseOptions {
  readonly driver: SqlDriver;
  readonly logger: Logger;
  readonly autocommit: boolean;
  readonly readOnly: boolean;
  readonly holdWarning: number;
  readonly drainTimeout: number;
  readonly migrations: string | undefined;
  readonly migrationsTable: string;
}

/** Internal: builds a context's session (called by the component's session factory). */
export const openSession = Symbol('openSession');
/** Internal: sets the resource name once published. */
export const setName = Symbol('setName');
/** Internal: a connection error seen by the driver. */
export const reportError = Symbol('reportError');

/**
 * One database of the application (the resource `SqlDatabase`): statements outside any
 * context's transaction, the native pool or database, pool figures, migrations, and signals for
 * errors no caller would see (an idle connection dying, a deferred fn failing).
 *
 * @example
 * const db = await ctx.getResource(SqlDatabase);
 * db.errors.connect((e) => alert(e.error));
 * await db.query('select 1');
 */
export class SqlDatabase {
  /** Errors of connections no session was using, of connections a session held, and of work deferred until commit. */
  readonly errors = new Signal<SqlErrorEvent>({ name: 'sqlErrors' });
  /** Contexts that held a connection much longer than their SQL took. */
  readonly slowHolds = new Signal<SqlHoldEvent>({ name: 'sqlSlowHolds' });
  readonly #options: SqlDatabaseOptions;
  readonly #host: SessionHost<SqlSession> & { stopped: string | undefined };
  readonly #deferredRunning = new Set<Promise<unknown>>();
  #name = 'default';
  #holdWarnings = 0;
  #lastError: string | undefined;
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  /** @internal built by `SqlComponent`. */
  constructor(options: SqlDatabaseOptions) {
    this.#options = options;
    const { driver, autocommit, readOnly, holdWarning, logger } = options;
    this.#host = {
      driver,
      autocommit,
      readOnly,
      sessions: new Map(),
      open: new Set(),
      stopped: undefined,
      released: (_session, heldMs, sqlMs) => {
        if (holdWarning > 0 && heldMs - sqlMs > holdWarning) {
          this.#holdWarnings++;
          logger.warn(
            { database: this.#name, heldMs: Math.round(heldMs), sqlMs: Math.round(sqlMs) },
            `sql '${this.#name}': a context held a connection for ${Math.round(heldMs)} ms but spent only ${Math.round(sqlMs)} ms in SQL; ` +
              'do slow non-SQL work (HTTP calls, waits) outside the transaction, or in a context that does not hold one',
          );
          this.slowHolds.dispatch({ database: this.#name, heldMs, sqlMs });
        }
        if (this.#host.open.size === 0) this.#drained?.();
      },
      runDeferred: (fns) => {
        for (const fn of fns) this.#runDeferred(fn);
      },
      rollbackFailed: (error) => {
        logger.warn({ database: this.#name, err: error }, `sql '${this.#name}': a ROLLBACK failed (the connection is closed instead): ${message(error)}`);
      },
    };
  }

  /** The resource name it is published under (`replica` for a component aliased `sql/replica`). */
  get name(): string {
    return this.#name;
  }

  get dialect(): SqlDialect {
    return this.#options.driver.dialect;
  }

  /** The `pg.Pool` (PostgreSQL) or better-sqlite3 `Database` (SQLite). Its lifecycle is the component's. */
  get native(): SqlNativeHandle {
    return this.#options.driver.native;
  }

  /** One statement on its own (no transaction, like `pool.query`). */
  query<R = SqlRow>(statement: string | SqlStatement, params: readonly unknown[] = []): Promise<SqlResult<R>> {
    const text = typeof statement === 'string' ? statement : statement.text(this.dialect);
    const values = typeof statement === 'string' ? params : statement.values;
    const { driver } = this.#options;
    if (driver.singleConnection && this.#host.open.size > 0 && this.#heldByCurrentContext()) {
      return Promise.reject(
        new SqlSessionError(
          `sql '${this.#name}': db.query() would wait forever: this ${this.dialect} database has one connection, and the session ` +
            "of the current context holds it (its transaction is open). Run the statement through that session (ctx.getResource(SqlSession))",
        ),
      );
    }
    return driver.query(text, values) as Promise<SqlResult<R>>;
  }

  /** The tag form of {@link SqlDatabase.query}; resolves to the rows. */
  async sql<R = SqlRow>(strings: TemplateStringsArray, ...values: readonly unknown[]): Promise<R[]> {
    return (await this.query<R>(new SqlStatement(strings, values))).rows;
  }

  /** Pool size, idle connections, sessions waiting for one, hold warnings, the last error. */
  stats(): SqlDatabaseStats {
    return {
      dialect: this.dialect,
      ...this.#options.driver.stats(),
      sessions: this.#host.open.size,
      holdWarnings: this.#holdWarnings,
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
    };
  }

  /**
   * Applies the pending migrations of `folder` (default: the `migrations` option) in name order,
   * under the migration lock; returns the names it applied.
   */
  migrate(folder: string | undefined = this.#options.migrations): Promise<string[]> {
    if (folder === undefined) {
      return Promise.reject(new SqlMigrationError(`sql '${this.#name}': no migrations folder: set the component's 'migrations' option or pass one`, undefined));
    }
    return applyMigrations(this.#options.driver, folder, this.#options.migrationsTable);
  }

  /** Whether a session of the current context or an ancestor holds the (single) connection. */
  #heldByCurrentContext(): boolean {
    for (let at = Context.tryCurrent(); at !== undefined; at = at.parent) {
      const session = this.#host.sessions.get(at);
      if (session !== undefined && this.#host.open.has(session)) return true;
    }
    return false;
  }

  /** @internal the session of `ctx` (the component's session factory). */
  [openSession](ctx: Context): SqlSession {
    return new SqlSession(this.#host, ctx);
  }

  /** @internal */
  [setName](name: string): void {
    this.#name = name;
  }

  /** @internal a connection error seen by the driver: logged, kept for health, signalled; never thrown. */
  [reportError](error: unknown, source: SqlErrorSource): void {
    this.#lastError = `${source}: ${message(error)}`;
    const what = source === 'idle-client' ? 'an idle connection failed' : source === 'client' ? 'a connection in use failed' : 'work deferred until commit failed';
    this.#options.logger[source === 'after-commit' ? 'error' : 'warn'](
      { database: this.#name, source, err: error },
      `sql '${this.#name}': ${what}: ${message(error)}`,
    );
    this.errors.dispatch({ database: this.#name, source, error });
  }

  /**
   * Stops: refuses new transactions, waits up to `drainTimeout` for open sessions, rolls back
   * those still open, waits for deferred work, closes the pool.
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    const { drainTimeout, driver } = this.#options;
    this.#host.stopped = `the SQL component '${this.#name}' is stopping`;
    const until = performance.now() + drainTimeout;
    if (this.#host.open.size > 0) {
      await within(drainTimeout, new Promise<void>((resolve) => (this.#drained = resolve)));
    }
    for (const session of [...this.#host.open]) {
      await session.abort(`the SQL component '${this.#name}' stopped while its context was still open (after drainTimeout, ${drainTimeout} ms)`);
    }
    if (this.#deferredRunning.size > 0) await within(Math.max(0, until - performance.now()), Promise.allSettled([...this.#deferredRunning]));
    await driver.close();
  }

  #runDeferred(fn: () => unknown): void {
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this[reportError](error, 'after-commit');
      return;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return;
    const running: Promise<unknown> = Promise.resolve(result).then(
      (): void => void this.#deferredRunning.delete(running),
      (error: unknown): void => {
        this.#deferredRunning.delete(running);
        this[reportError](error, 'after-commit');
      },
    );
    this.#deferredRunning.add(running);
  }
}

async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
