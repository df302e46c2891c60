import { startPostgres, type PostgresServer } from '../../bench/support/postgres-cluster';

export { POSTGRES_PASSWORD, postgresBinDir, startPostgres } from '../../bench/support/postgres-cluster';
export type { PostgresServer } from '../../bench/support/postgres-cluster';

/**
 * A cluster for the specs of one file (started in `beforeAll`, stopped in `afterAll`, even when a
 * spec failed) with one database of its own.
 *
 * @example
 * const pg = usePostgres('sessions');
 * it('...', () => connectTo(pg().url));
 */
export function usePostgres(database = 'spec'): () => PostgresServer & { readonly databaseUrl: string } {
  let server: PostgresServer | undefined;
  let databaseUrl = '';
  beforeAll(async () => {
    server = await startPostgres();
    databaseUrl = await server.createDatabase(database);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);
  return () => {
    if (server === undefined) throw new Error('PostgreSQL has not started (use it inside a test)');
    return Object.assign(Object.create(server) as PostgresServer, server, { databaseUrl });
  };
}
