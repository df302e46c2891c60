// asphalt-ts/sql: `type: sql` on PostgreSQL (pg) or SQLite (better-sqlite3), a session per context.
export { SqlComponent } from './sql-component';
export { SqlConfig } from './sql-config';
export { SqlDatabase } from './sql-database';
export type { SqlDatabaseStats, SqlErrorEvent, SqlHoldEvent } from './sql-database';
export { SqlSession } from './sql-session';
export type { SqlPropagation, SqlSessionOptions, SqlStreamOptions } from './sql-session';
export { sql, SqlStatement } from './sql-statement';
export type { SqlDialect } from './sql-statement';
export type { SqlErrorSource, SqlNativeHandle, SqlPoolStats, SqlResult, SqlRow } from './sql-driver';
export { readMigrations } from './migrations';
export type { MigrationFile } from './migrations';
export { SqlCommitError, SqlConnectionError, SqlMigrationError, SqlSessionError } from './sql-errors';
/** The core's `afterCommit`, re-exported: work run once the context's SQL transaction commits. */
export { afterCommit } from '../index';
