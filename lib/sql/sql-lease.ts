import type { RawConnection, SqlLease, SqlResult, SqlRow } from './sql-driver';
import { FifoLock } from './fifo-lock';
import { SqlSessionError } from './sql-errors';

/**
 * A checked-out connection: its statements run one at a time (a stream holds it until it ends),
 * and its transaction statements are plain (`BEGIN`/`COMMIT`) or, on a connection already inside
 * an outer transaction (the testing recipe), a savepoint.
 */
export class Lease implements SqlLease {
  readonly #raw: RawConnection;
  readonly #style: 'transaction' | 'savepoint';
  readonly #onRelease: (broken: boolean) => void;
  readonly #isBroken: () => boolean;
  readonly #lock = new FifoLock();
  #readOnly = false;
  #released = false;

  constructor(raw: RawConnection, style: 'transaction' | 'savepoint', onRelease: (broken: boolean) => void, isBroken: () => boolean) {
    this.#raw = raw;
    this.#style = style;
    this.#onRelease = onRelease;
    this.#isBroken = isBroken;
  }

  get broken(): boolean {
    return this.#isBroken();
  }

  async query(text: string, params: readonly unknown[]): Promise<SqlResult> {
    if (this.#released) throw new SqlSessionError('this connection was given back (its session ended or the database stopped); run SQL through an open session');
    if (!this.#lock.tryLock()) await this.#lock.lock();
    try {
      return await this.#raw.query(text, params, this.#readOnly);
    } finally {
      this.#lock.unlock();
    }
  }

  async *stream(text: string, params: readonly unknown[], batchSize: number): AsyncGenerator<SqlRow> {
    await this.#lock.lock();
    try {
      yield* this.#raw.stream(text, params, batchSize);
    } finally {
      this.#lock.unlock();
    }
  }

  async exec(script: string): Promise<void> {
    await this.#lock.lock();
    try {
      await this.#raw.exec(script);
    } finally {
      this.#lock.unlock();
    }
  }

  async begin(readOnly: boolean): Promise<void> {
    if (this.#style === 'savepoint') {
      await this.query('SAVEPOINT asphalt_session', []);
      return;
    }
    const postgres = this.#raw.dialect === 'postgres';
    await this.query(postgres && readOnly ? 'BEGIN READ ONLY' : 'BEGIN', []);
    // SQLite: each statement of the transaction is checked (better-sqlite3's `statement.readonly`).
    if (!postgres && readOnly) this.#readOnly = true;
  }

  async commit(): Promise<void> {
    if (this.#style === 'savepoint') {
      await this.query('RELEASE SAVEPOINT asphalt_session', []);
      return;
    }
    try {
      await this.query('COMMIT', []);
    } finally {
      await this.#endReadOnly();
    }
  }

  async rollback(): Promise<void> {
    if (this.#style === 'savepoint') {
      await this.query('ROLLBACK TO SAVEPOINT asphalt_session', []);
      await this.query('RELEASE SAVEPOINT asphalt_session', []);
      return;
    }
    try {
      await this.query('ROLLBACK', []);
    } finally {
      await this.#endReadOnly();
    }
  }

  release(broken: boolean): void {
    if (this.#released) return;
    this.#released = true;
    this.#onRelease(broken || this.#isBroken());
  }

  async #endReadOnly(): Promise<void> {
    this.#readOnly = false;
  }
}
