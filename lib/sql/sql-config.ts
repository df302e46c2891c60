import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';

/** Config of {@link SqlComponent} (YAML `type: sql`). */
export class SqlConfig {
  /**
   * Where the database is: `postgres://user:password@host:port/database` (or `postgresql://`), or
   * `sqlite:path/to/file.db` (relative to the current directory), or `sqlite::memory:`.
   */
  @Matches(/^(postgres(ql)?:\/\/.+|sqlite:.+)$/, { message: 'must be a postgres://... URL, sqlite:path or sqlite::memory:' })
  url = 'sqlite::memory:';

  /** Connections at most (PostgreSQL; SQLite has one). */
  @IsInt() @Min(1) poolSize = 10;

  /** Milliseconds a new connection may take (PostgreSQL), also the SQLite busy timeout. */
  @IsInt() @Min(1) connectTimeout = 5_000;

  /** `statement_timeout` of every connection, ms (PostgreSQL); 0 turns it off. */
  @IsInt() @Min(0) statementTimeout = 30_000;

  /** `idle_in_transaction_session_timeout` of every connection, ms (PostgreSQL); 0 turns it off. */
  @IsInt() @Min(0) idleInTransactionTimeout = 60_000;

  /** Sessions run each statement on its own, without a transaction (per context: `session.configure`). */
  @IsBoolean() autocommit = false;

  /** Sessions open read-only transactions (per context: `session.configure`). */
  @IsBoolean() readOnly = false;

  /** Warn when a context holds a connection this many ms longer than its SQL took; 0 turns it off. */
  @IsInt() @Min(0) holdWarning = 1_000;

  /** A folder of `.sql` migration files, applied in name order (relative to the current directory). */
  @IsOptional() @IsString() migrations?: string;

  /** Apply the pending migrations at start (under an advisory lock on PostgreSQL). */
  @IsBoolean() migrateOnStart = false;

  /** The table that records applied migrations. */
  @Matches(/^[A-Za-z_]\w*$/, { message: 'must be a plain SQL identifier' }) migrationsTable = 'asphalt_migrations';

  /** At stop, ms that open sessions may take to finish before they are rolled back. */
  @IsInt() @Min(0) drainTimeout = 1_000;

  /** `application_name` of the connections (PostgreSQL). */
  @IsOptional() @IsString() applicationName?: string;
}
