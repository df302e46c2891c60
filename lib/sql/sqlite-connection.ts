import type { Database, Statement } from 'better-sqlite3';
import type { RawConnection, SqlResult, SqlRow } from './sql-driver';

const cacheSize = 200;

/** A better-sqlite3 database as a {@link RawConnection}: prepared statements cached by text. */
export class SqliteConnection implements RawConnection {
  readonly dialect = 'sqlite';
  readonly database: Database;
  readonly #statements = new Map<string, Statement<unknown[], SqlRow>>();

  constructor(database: Database) {
    this.database = database;
  }

  /** Runs synchronously (better-sqlite3 is synchronous); the promise only keeps one interface. */
  query(text: string, params: readonly unknown[], readOnly = false): Promise<SqlResult> {
    try {
      return Promise.resolve(this.querySync(text, params, readOnly));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  querySync(text: string, params: readonly unknown[], readOnly = false): SqlResult {
    const statement = this.#prepare(text);
    if (readOnly && !statement.readonly) {
      throw Object.assign(new Error(`attempt to write in a read-only transaction: ${text.slice(0, 80)}`), { code: 'SQLITE_READONLY' });
    }
    const args = params.length === 0 ? params : params.map(toSqlite);
    if (statement.reader) {
      const rows = statement.all(...args);
      return { rows, rowCount: rows.length };
    }
    const info = statement.run(...args);
    return { rows: [], rowCount: info.changes };
  }

  async *stream(text: string, params: readonly unknown[]): AsyncGenerator<SqlRow> {
    // A statement being iterated cannot run again until it ends: iterate a fresh one.
    const statement = this.database.prepare<unknown[], SqlRow>(text);
    yield* statement.iterate(...params.map(toSqlite));
  }

  async exec(script: string): Promise<void> {
    this.database.exec(script);
  }

  #prepare(text: string): Statement<unknown[], SqlRow> {
    let statement = this.#statements.get(text);
    if (statement === undefined) {
      statement = this.database.prepare<unknown[], SqlRow>(text);
      if (this.#statements.size >= cacheSize) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(text, statement);
    }
    return statement;
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null: booleans become 1/0, dates ISO text. */
function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}
