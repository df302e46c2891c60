import { AsphaltError } from '../index';

/**
 * The SQL component could not reach its database at start: connection refused, host not found,
 * authentication failed, unknown database, a file SQLite cannot open, or no answer in time.
 * `reason` says which; `cause` is the driver's error.
 */
export class SqlConnectionError extends AsphaltError {
  static override readonly code = 'ASPHALT_SQL_CONNECTION';
  constructor(
    message: string,
    /** `refused`, `not-found`, `auth`, `unknown-database`, `timeout`, `file` or `other`. */
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A context's transaction did not commit: `COMMIT` failed (a deferred constraint, a serialization
 * failure, a lost connection), or a joined child context had ended with an error so the
 * transaction was rolled back instead. Raised by the context's teardown; nothing was committed.
 */
export class SqlCommitError extends AsphaltError {
  static override readonly code = 'ASPHALT_SQL_COMMIT';
}

/**
 * A session was used when it cannot run SQL: after its context closed, after the transaction it
 * joined had ended (a child context that outlived its parent's commit), after the database was
 * stopped, or configured after its first query.
 */
export class SqlSessionError extends AsphaltError {
  static override readonly code = 'ASPHALT_SQL_SESSION';
}

/** A migration could not be applied, or an applied migration's file has changed since. */
export class SqlMigrationError extends AsphaltError {
  static override readonly code = 'ASPHALT_SQL_MIGRATION';
  constructor(
    message: string,
    /** The migration file's name, when one is to blame. */
    readonly migration: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
