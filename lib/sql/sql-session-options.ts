/**
 * How a child context's session relates to a session of a parent context: `join` runs in the
 * parent's transaction (the default), `nested` in a SAVEPOINT of it (rolled back alone when the
 * child ends with an error), `new` in a transaction of its own on a second connection.
 */
export type SqlPropagation = 'join' | 'nested' | 'new';

/** Options of one context's session ({@link SqlSession.configure}); defaults come from the config. */
export interface SqlSessionOptions {
  /** Each statement on its own, without a transaction. */
  autocommit?: boolean;
  /** A read-only transaction (`BEGIN READ ONLY`; SQLite: every statement that writes is refused). */
  readOnly?: boolean;
  /** How to relate to a session of a parent context. Default `join`. */
  propagation?: SqlPropagation;
}

/** Options of {@link SqlSession.stream}. */
export interface SqlStreamOptions {
  /** Rows fetched per round trip (PostgreSQL cursor). Default 100. */
  batchSize?: number;
}
