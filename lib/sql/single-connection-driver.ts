import { FifoLock } from './fifo-lock';
import type { RawConnection, SqlDriver, SqlLease, SqlNativeHandle, SqlPoolStats, SqlResult } from './sql-driver';
import type { SqlDialect } from './sql-statement';
import { Lease } from './sql-lease';

/** What a single-connection driver is built from. */
export interface SingleConnectionOptions {
  readonly connection: RawConnection;
  readonly native: SqlNativeHandle;
  /** `savepoint`: the connection is inside an outer transaction that sessions must not end (testing). */
  readonly style: 'transaction' | 'savepoint';
  /** Proves the connection works. */
  readonly check: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * One connection shared in turn: SQLite's database, or the testing recipe's bound connection. A
 * session holds it from its first statement to its end; statements outside sessions wait their turn.
 */
export class SingleConnectionDriver implements SqlDriver {
  readonly singleConnection = true;
  readonly dialect: SqlDialect;
  readonly #options: SingleConnectionOptions;
  readonly #lock = new FifoLock();

  constructor(options: SingleConnectionOptions) {
    this.#options = options;
    this.dialect = options.connection.dialect;
  }

  get native(): SqlNativeHandle {
    return this.#options.native;
  }

  async acquire(): Promise<SqlLease> {
    if (!this.#lock.tryLock()) await this.#lock.lock();
    return new Lease(this.#options.connection, this.#options.style, () => this.#lock.unlock(), () => false);
  }

  async query(text: string, params: readonly unknown[]): Promise<SqlResult> {
    if (!this.#lock.tryLock()) await this.#lock.lock();
    try {
      return await this.#options.connection.query(text, params);
    } finally {
      this.#lock.unlock();
    }
  }

  check(): Promise<void> {
    return this.#options.check();
  }

  async withMigrationLock<T>(_key: number, fn: (lease: SqlLease) => Promise<T>): Promise<T> {
    const lease = await this.acquire();
    try {
      return await fn(lease);
    } finally {
      lease.release(false);
    }
  }

  stats(): SqlPoolStats {
    return { total: 1, idle: this.#lock.held ? 0 : 1, waiting: this.#lock.waiting };
  }

  close(): Promise<void> {
    return this.#options.close();
  }
}
