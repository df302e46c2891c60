import type { Pool, PoolClient } from 'pg';
import { requirePeer } from '../index';
import type { RawConnection, SqlDriver, SqlErrorSource, SqlLease, SqlNativeHandle, SqlPoolStats, SqlResult, SqlRow } from './sql-driver';
import { SqlConnectionError } from './sql-errors';
import { Lease } from './sql-lease';

/** What the PostgreSQL driver is built from. */
export interface PgDriverOptions {
  readonly connectionString: string;
  /** The URL with the password hidden, for messages. */
  readonly display: string;
  readonly poolSize: number;
  readonly connectTimeout: number;
  readonly statementTimeout: number;
  readonly idleInTransactionTimeout: number;
  readonly applicationName: string | undefined;
  readonly onError: (error: unknown, source: SqlErrorSource) => void;
}

/** A pg client as a {@link RawConnection}; streams go through pg-cursor. */
export class PgConnection implements RawConnection {
  readonly dialect = 'postgres';
  readonly #client: PoolClient;

  constructor(client: PoolClient) {
    this.#client = client;
  }

  async query(text: string, params: readonly unknown[]): Promise<SqlResult> {
    const result = await this.#client.query(text, params as unknown[]);
    return { rows: result.rows as SqlRow[], rowCount: result.rowCount ?? result.rows.length };
  }

  async *stream(text: string, params: readonly unknown[], batchSize: number): AsyncGenerator<SqlRow> {
    const Cursor = requirePeer<typeof import('pg-cursor')>('pg-cursor', 'asphalt-ts/sql (session.stream on PostgreSQL)', '2');
    const cursor = this.#client.query(new Cursor<SqlRow>(text, params as unknown[]));
    try {
      for (;;) {
        const rows = await cursor.read(batchSize);
        if (rows.length === 0) return;
        yield* rows;
      }
    } finally {
      await cursor.close();
    }
  }

  async exec(script: string): Promise<void> {
    await this.#client.query(script);
  }
}

/** node-postgres's pool, with its error listeners always attached. Internal. */
export class PgDriver implements SqlDriver {
  readonly dialect = 'postgres';
  readonly singleConnection = false;
  readonly #pool: Pool;
  readonly #options: PgDriverOptions;
  readonly #inUse = new WeakSet<PoolClient>();
  readonly #broken = new WeakSet<PoolClient>();

  constructor(options: PgDriverOptions) {
    const pg = requirePeer<typeof import('pg')>('pg', 'asphalt-ts/sql (a postgres:// url)', '8');
    this.#options = options;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeout,
      ...(options.statementTimeout > 0 ? { statement_timeout: options.statementTimeout } : {}),
      ...(options.idleInTransactionTimeout > 0 ? { idle_in_transaction_session_timeout: options.idleInTransactionTimeout } : {}),
      ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}),
    });
    // An idle client's error (the server restarted, the backend was terminated) must never crash.
    this.#pool.on('error', (error) => options.onError(error, 'idle-client'));
    this.#pool.on('connect', (client) => {
      client.on('error', (error) => {
        this.#broken.add(client);
        if (this.#inUse.has(client)) options.onError(error, 'client');
      });
    });
  }

  get native(): SqlNativeHandle {
    return { dialect: 'postgres', pool: this.#pool };
  }

  async acquire(): Promise<SqlLease> {
    const client = await this.#pool.connect();
    this.#inUse.add(client);
    return new Lease(
      new PgConnection(client),
      'transaction',
      (broken) => {
        this.#inUse.delete(client);
        client.release(broken ? true : undefined);
      },
      () => this.#broken.has(client),
    );
  }

  async query(text: string, params: readonly unknown[]): Promise<SqlResult> {
    const result = await this.#pool.query(text, params as unknown[]);
    return { rows: result.rows as SqlRow[], rowCount: result.rowCount ?? result.rows.length };
  }

  async check(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
    } catch (error) {
      throw connectionError(error, this.#options);
    }
  }

  async withMigrationLock<T>(key: number, fn: (lease: SqlLease) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    let broken = false;
    try {
      await lease.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await fn(lease);
      } finally {
        await lease.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      lease.release(broken);
    }
  }

  stats(): SqlPoolStats {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** The start-time failure, said plainly: refused, unknown host, authentication, unknown database, timeout. */
function connectionError(error: unknown, options: PgDriverOptions): SqlConnectionError {
  const e = error as { code?: string; message?: string };
  const at = `PostgreSQL at ${options.display}`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(options.connectionString);
  } catch {
    parsed = undefined;
  }
  const host = parsed ? `${parsed.hostname}:${parsed.port || 5432}` : 'the url\'s host';
  const user = parsed?.username || 'the default user';
  const database = parsed?.pathname.slice(1) || user;
  const said = e.message ?? String(error);
  const [reason, text] = ((): [string, string] => {
    switch (e.code) {
      case 'ECONNREFUSED':
        return ['refused', `the connection to ${host} was refused: is PostgreSQL running and listening there? Check the url's host and port`];
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return ['not-found', `the host in the url was not found (${said}): check its spelling and your DNS`];
      case '28P01':
      case '28000':
        return ['auth', `authentication failed for user '${user}' (${said}): check the user and password in the url`];
      case '3D000':
        return ['unknown-database', `the database '${database}' does not exist: create it (createdb ${database}) or fix the url's path`];
      default:
        if (/timeout/i.test(said)) {
          return ['timeout', `no answer within connectTimeout (${options.connectTimeout} ms): check that ${host} is reachable, or raise connectTimeout`];
        }
        return ['other', `${said}${e.code ? ` [${e.code}]` : ''}`];
    }
  })();
  return new SqlConnectionError(`cannot connect to ${at}: ${text}`, reason, { cause: error });
}
