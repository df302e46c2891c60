import { Component, Context, Logger, provides, requires, silentLogger, stderrLogger } from '../index';
import { HealthRegistry } from '../health/index';
import { openDriver } from './open-driver';
import type { SqlDriver } from './sql-driver';
import { SqlConfig } from './sql-config';
import { openSession, reportError, setName, SqlDatabase } from './sql-database';
import { SqlSession } from './sql-session';

/**
 * A database (YAML `type: sql`), configured by a URL: `postgres://...` (node-postgres pool) or
 * `sqlite:file.db` / `sqlite::memory:` (better-sqlite3, the default). Publishes the
 * {@link SqlDatabase} and a {@link SqlSession} factory: each context that asks gets its own
 * session, whose transaction commits when the context closes cleanly and rolls back when it closes
 * with an error. At start it proves the database answers (and migrates, with `migrateOnStart`).
 * Add it as `sql/replica` to publish both under the name `replica`.
 *
 * @example
 * components:
 *   db: { type: sql, url: !Env [DATABASE_URL, "sqlite:app.db"], migrations: migrations, migrateOnStart: true }
 */
@provides(SqlDatabase)
@provides(SqlSession)
export class SqlComponent extends Component {
  // Optional: bootstrap publishes it, but `asphalt check`/`graph`/`migrate` resolve the tree without bootstrap.
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;

  constructor(readonly config: SqlConfig) {
    super();
  }

  /** The driver for this component's database; the testing recipe overrides it. */
  protected openDriver(onError: Parameters<typeof openDriver>[1]): SqlDriver {
    return openDriver(this.config, onError);
  }

  /**
   * `asphalt migrate`: opens this component's database, applies its pending migrations (under the
   * advisory lock on PostgreSQL) and closes it; `undefined` without a `migrations` folder.
   */
  async [Symbol.for('asphalt-ts.migrate')](): Promise<readonly string[] | undefined> {
    if (this.config.migrations === undefined) return undefined;
    const driver = this.openDriver(() => undefined);
    const db = new SqlDatabase({ ...this.#databaseOptions(), driver, logger: silentLogger });
    try {
      await driver.check();
      return await db.migrate();
    } finally {
      await db.close();
    }
  }

  #databaseOptions(): Omit<ConstructorParameters<typeof SqlDatabase>[0], 'driver' | 'logger'> {
    const { config } = this;
    return {
      autocommit: config.autocommit,
      readOnly: config.readOnly,
      holdWarning: config.holdWarning,
      drainTimeout: config.drainTimeout,
      migrations: config.migrations,
      migrationsTable: config.migrationsTable,
    };
  }

  override async start(ctx: Context): Promise<void> {
    const { config } = this;
    const ref: { database?: SqlDatabase } = {};
    const driver = this.openDriver((error, source) => ref.database?.[reportError](error, source));
    const db = new SqlDatabase({ ...this.#databaseOptions(), driver, logger: this.logger ?? stderrLogger });
    ref.database = db;
    try {
      await driver.check();
      if (config.migrateOnStart) {
        const applied = await db.migrate();
        if (applied.length > 0) this.logger?.info({ applied }, `sql: applied ${applied.length} migration(s): ${applied.join(', ')}`);
      }
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    ctx.addResource(db, { types: [SqlDatabase], description: `SQL database (${driver.dialect})`, teardown: () => db.close() });
    for (const [name, value] of ctx.getResources(SqlDatabase)) if (value === db) db[setName](name);
    ctx.addResourceFactory(() => db[openSession](Context.current()), {
      types: [SqlSession],
      description: `SQL session of each context (${driver.dialect})`,
      teardown: (session, error) => session.close(error),
    });
    const remove = this.health?.add(`sql:${db.name}`, async () => {
      await db.query('SELECT 1');
      return db.stats();
    });
    if (remove) ctx.addTeardownCallback(remove);
  }
}
