import { PgDriver } from './pg-driver';
import type { SqlDriver, SqlErrorSource } from './sql-driver';
import type { SqlConfig } from './sql-config';
import { openSqlite } from './sqlite-driver';
import { parseSqlUrl } from './sql-url';

/** The driver for the config's `url`: node-postgres's pool, or better-sqlite3. Internal. */
export function openDriver(config: SqlConfig, onError: (error: unknown, source: SqlErrorSource) => void): SqlDriver {
  const target = parseSqlUrl(config.url);
  if (target.dialect === 'sqlite') return openSqlite(target.filename, config.connectTimeout);
  return new PgDriver({
    connectionString: target.connectionString,
    display: target.display,
    poolSize: config.poolSize,
    connectTimeout: config.connectTimeout,
    statementTimeout: config.statementTimeout,
    idleInTransactionTimeout: config.idleInTransactionTimeout,
    applicationName: config.applicationName,
    onError,
  });
}
