import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryResult } from 'kysely';
import { requirePeer } from '../index';
import type { SqlResult, SqlRow } from './sql-driver';
import type { SqlStreamOptions } from './sql-session-options';
import type { SqlDialect } from './sql-statement';

/**
 * A Kysely instance whose every query runs through `session` (so raw SQL and Kysely share one
 * transaction); Kysely's own `transaction()` becomes a savepoint of the session's transaction.
 */
/** What the Kysely driver needs of a session (a `SqlSession` is one). */
interface QueryingSession {
  query<R = SqlRow>(statement: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  stream<R = SqlRow>(statement: string, params?: readonly unknown[], options?: SqlStreamOptions): AsyncGenerator<R>;
}

export function kyselyFor<DB>(session: QueryingSession, dialect: SqlDialect): Kysely<DB> {
  const kysely = requirePeer<typeof import('kysely')>('kysely', 'asphalt-ts/sql (session.kysely())', '0.28');
  const connection: DatabaseConnection = {
    async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
      const result = await session.query<R>(compiled.sql, compiled.parameters);
      return { rows: result.rows, numAffectedRows: BigInt(result.rowCount) };
    },
    async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
      let rows: R[] = [];
      for await (const row of session.stream<R>(compiled.sql, compiled.parameters, { batchSize: chunkSize })) {
        rows.push(row);
        if (rows.length >= chunkSize) {
          yield { rows };
          rows = [];
        }
      }
      if (rows.length > 0) yield { rows };
    },
  };
  let depth = 0;
  const run = async (text: string): Promise<void> => {
    await session.query<SqlRow>(text);
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => run(`SAVEPOINT asphalt_kysely_${++depth}`),
    commitTransaction: async () => run(`RELEASE SAVEPOINT asphalt_kysely_${depth--}`),
    rollbackTransaction: async () => {
      await run(`ROLLBACK TO SAVEPOINT asphalt_kysely_${depth}`);
      await run(`RELEASE SAVEPOINT asphalt_kysely_${depth--}`);
    },
    savepoint: async (_c, name) => run(`SAVEPOINT ${name}`),
    rollbackToSavepoint: async (_c, name) => run(`ROLLBACK TO SAVEPOINT ${name}`),
    releaseSavepoint: async (_c, name) => run(`RELEASE SAVEPOINT ${name}`),
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const postgres = dialect === 'postgres';
  return new kysely.Kysely<DB>({
    dialect: {
      createAdapter: () => (postgres ? new kysely.PostgresAdapter() : new kysely.SqliteAdapter()),
      createDriver: () => driver,
      createIntrospector: (db) => (postgres ? new kysely.PostgresIntrospector(db) : new kysely.SqliteIntrospector(db)),
      createQueryCompiler: () => (postgres ? new kysely.PostgresQueryCompiler() : new kysely.SqliteQueryCompiler()),
    },
  });
}
