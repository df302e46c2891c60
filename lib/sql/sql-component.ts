import { Component, Context, Logger, provides, requires } from '../index';
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
  @requires(Logger) logger!: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;

  constructor(readonly config: SqlConfig) {
    super();
  }

  /** The driver for this component's database; the testing recipe overrides it. */
  protected openDriver(onError: Parameters<typeof openDriver>[1]): SqlDriver {
    return openDriver(this.config, onError);
  }

  override async start(ctx: Context): Promise<void> {
    const { config } = this;
    let database: SqlDatabase | undefined;
    const driver = this.openDriver((error, source) => database?.[reportError](error, source));
    database = new SqlDatabase({
      driver,
      logger: this.logger,
      autocommit: config.autocommit,
      readOnly: config.readOnly,
      holdWarning: config.holdWarning,
      drainTimeout: config.drainTimeout,
      migrations: config.migrations,
      migrationsTable: config.migrationsTable,
    });
    const db = database;
    try {
      await driver.check();
      if (config.migrateOnStart) {
        const applied = await db.migrate();
        if (applied.length > 0) this.logger.info({ applied }, `sql: applied ${applied.length} migration(s): ${applied.join(', ')}`);
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
