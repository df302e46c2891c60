/**
 * `asphalt-ts/testing/sql`: the testing recipe. One connection, one outer transaction for the
 * whole file, a SAVEPOINT per test rolled back after it: tests see the schema (migrated once) and
 * never each other's rows, on PostgreSQL and SQLite alike.
 *
 * @example
 * const db = useSqlTestDatabase({ url: 'sqlite::memory:', migrations: 'migrations' });
 * it('creates a note', async () => {
 *   const app = await startTestApp(App, {}, { overrides: [db.override('root.db')] });
 *   // ... exercise the app; every commit is a savepoint released inside the test's savepoint
 * }); // rolled back after the test
 */
import type { ComponentOverride } from '../testing/index';
import { InvalidArgumentError, requirePeer } from '../index';
import { applyMigrations } from './migrations';
import { PgConnection } from './pg-driver';
import { SingleConnectionDriver } from './single-connection-driver';
import { SqlComponent } from './sql-component';
import type { RawConnection, SqlDriver, SqlNativeHandle, SqlResult, SqlRow } from './sql-driver';
import { SqliteConnection } from './sqlite-connection';
import { parseSqlUrl } from './sql-url';

type Hook = (fn: () => Promise<void>, timeout?: number) => void;
interface TestGlobals {
  beforeAll?: Hook;
  beforeEach?: Hook;
  afterEach?: Hook;
  afterAll?: Hook;
}

/** The test runner's hooks (Jest's globals; vitest's with `globals: true`). */
function hooks(): Required<TestGlobals> {
  const g = globalThis as TestGlobals;
  if (typeof g.beforeAll !== 'function' || typeof g.beforeEach !== 'function' || typeof g.afterEach !== 'function' || typeof g.afterAll !== 'function') {
    throw new InvalidArgumentError('useSqlTestDatabase: call it at the top of a test file, where beforeAll/beforeEach/afterEach/afterAll exist');
  }
  return g as Required<TestGlobals>;
}

/** Options of {@link useSqlTestDatabase}. */
export interface SqlTestDatabaseOptions {
  /** `postgres://...` or `sqlite:...` (`sqlite::memory:` is the quickest); a function is called in `beforeAll`. */
  readonly url: string | (() => string);
  /** A folder of migrations applied once, inside the outer transaction. */
  readonly migrations?: string;
  /** Migrations table; default `asphalt_migrations`. */
  readonly migrationsTable?: string;
}

/** The bound connection of a test file (see {@link useSqlTestDatabase}). */
export interface SqlTestDatabase {
  /** The `startTestApp` override that puts the bound component at `path` (e.g. `'root.db'`). */
  override(path: string): ComponentOverride;
  /** A statement on the bound connection, inside the current test's savepoint. */
  query<R = SqlRow>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

/**
 * Binds the SQL component to one connection for the test file (Jest `beforeAll`/`afterAll`), in
 * an outer transaction with a SAVEPOINT per test that is rolled back after it (`beforeEach`/`afterEach`).
 * Sessions on the bound component take savepoints instead of BEGIN/COMMIT, so their commits and
 * `afterCommit` work run as usual and still vanish with the test.
 */
export function useSqlTestDatabase(options: SqlTestDatabaseOptions): SqlTestDatabase {
  if (typeof options?.url !== 'string' && typeof options?.url !== 'function') throw new InvalidArgumentError('useSqlTestDatabase: give { url: "sqlite::memory:" | "postgres://..." }');
  let bound: { raw: RawConnection; driver: SqlDriver; close: () => Promise<void> } | undefined;
  const connection = (): NonNullable<typeof bound> => {
    if (bound === undefined) throw new InvalidArgumentError('useSqlTestDatabase: the bound connection exists only inside tests (after beforeAll)');
    return bound;
  };
  const { beforeAll, beforeEach, afterEach, afterAll } = hooks();
  beforeAll(async () => {
    bound = await bind(typeof options.url === 'function' ? options.url() : options.url);
    await bound.raw.query('BEGIN', []);
    if (options.migrations !== undefined) await applyMigrations(bound.driver, options.migrations, options.migrationsTable ?? 'asphalt_migrations');
  });
  beforeEach(async () => {
    await connection().raw.query('SAVEPOINT asphalt_test', []);
  });
  afterEach(async () => {
    await connection().raw.query('ROLLBACK TO SAVEPOINT asphalt_test', []);
    await connection().raw.query('RELEASE SAVEPOINT asphalt_test', []);
  });
  afterAll(async () => {
    const current = bound;
    bound = undefined;
    if (current === undefined) return;
    try {
      await current.raw.query('ROLLBACK', []);
    } finally {
      await current.close();
    }
  });
  return {
    override(path) {
      class BoundSqlComponent extends SqlComponent {
        protected override openDriver(): SqlDriver {
          return connection().driver;
        }
      }
      return { component: path, with: BoundSqlComponent };
    },
    query: (text, params = []) => connection().driver.query(text, params) as Promise<SqlResult<never>>,
  };
}

async function bind(url: string): Promise<{ raw: RawConnection; driver: SqlDriver; close: () => Promise<void> }> {
  const target = parseSqlUrl(url);
  let raw: RawConnection;
  let native: SqlNativeHandle;
  let close: () => Promise<void>;
  if (target.dialect === 'sqlite') {
    const Database = requirePeer<typeof import('better-sqlite3')>('better-sqlite3', 'asphalt-ts/testing/sql (a sqlite: url)', '12');
    const database = new Database(target.filename);
    database.pragma('foreign_keys = ON');
    raw = new SqliteConnection(database);
    native = { dialect: 'sqlite', database };
    close = async () => void database.close();
  } else {
    const pg = requirePeer<typeof import('pg')>('pg', 'asphalt-ts/testing/sql (a postgres:// url)', '8');
    const pool = new pg.Pool({ connectionString: target.connectionString, max: 1 });
    pool.on('error', () => undefined);
    const client = await pool.connect();
    raw = new PgConnection(client);
    native = { dialect: 'postgres', pool };
    close = async () => {
      client.release();
      await pool.end();
    };
  }
  const driver = new SingleConnectionDriver({
    connection: raw,
    native,
    style: 'savepoint',
    check: async () => void (await raw.query('SELECT 1', [])),
    close: async () => undefined, // the file's afterAll closes it, not each test app's stop
  });
  return { raw, driver, close };
}
