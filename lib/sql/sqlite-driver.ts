import { requirePeer } from '../index';
import { SingleConnectionDriver } from './single-connection-driver';
import { SqliteConnection } from './sqlite-connection';
import { SqlConnectionError } from './sql-errors';

/** Opens `filename` (or `:memory:`) with better-sqlite3: WAL for files, foreign keys on, a busy timeout. */
export function openSqlite(filename: string, busyTimeout: number): SingleConnectionDriver {
  const Database = requirePeer<typeof import('better-sqlite3')>('better-sqlite3', 'asphalt-ts/sql (a sqlite: url)', '12');
  let database: import('better-sqlite3').Database;
  try {
    database = new Database(filename, { timeout: busyTimeout });
  } catch (error) {
    throw new SqlConnectionError(
      `cannot open the SQLite database 'sqlite:${filename}': ${(error as Error).message}; check that its folder exists and is writable`,
      'file',
      { cause: error },
    );
  }
  if (filename !== ':memory:' && filename !== '') database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  const connection = new SqliteConnection(database);
  return new SingleConnectionDriver({
    connection,
    native: { dialect: 'sqlite', database },
    style: 'transaction',
    check: async () => {
      connection.querySync('SELECT 1', []);
    },
    close: async () => {
      database.close();
    },
  });
}
