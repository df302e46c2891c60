import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SqlDriver, SqlLease } from './sql-driver';
import { SqlMigrationError } from './sql-errors';

/** One migration file: `NNN_name.sql`, applied in name order. */
export interface MigrationFile {
  readonly name: string;
  readonly checksum: string;
  readonly sql: string;
}

/** The `.sql` files of `folder`, sorted by name (numbers compared as numbers: `2_` before `10_`). */
export function readMigrations(folder: string): MigrationFile[] {
  const dir = resolve(folder);
  if (!existsSync(dir)) {
    throw new SqlMigrationError(`the migrations folder ${dir} does not exist: create it, or fix the component's 'migrations' path (relative to the current directory)`, undefined);
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => {
      const sql = readFileSync(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) };
    });
}

/** The advisory lock's key for a migrations table: the same for every instance of one application. */
export function migrationLockKey(table: string): number {
  return createHash('sha256').update(`asphalt-ts migrations ${table}`).digest().readInt32BE(0);
}

/**
 * Applies the files of `folder` not yet recorded in `table`, each in its own transaction, holding
 * the migration lock (PostgreSQL: `pg_advisory_lock`), so instances starting together migrate once.
 * Returns the names applied now.
 * @throws SqlMigrationError when a file fails (it is rolled back; those before it stay) or an applied file changed.
 */
export async function applyMigrations(driver: SqlDriver, folder: string, table: string): Promise<string[]> {
  const files = readMigrations(folder);
  return driver.withMigrationLock(migrationLockKey(table), async (lease) => {
    await lease.exec(`CREATE TABLE IF NOT EXISTS ${table} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const { rows } = await lease.query(`SELECT name, checksum FROM ${table}`, []);
    const applied = new Map(rows.map((row) => [String(row.name), String(row.checksum)]));
    const done: string[] = [];
    for (const file of files) {
      const recorded = applied.get(file.name);
      if (recorded !== undefined) {
        if (recorded !== file.checksum) {
          throw new SqlMigrationError(
            `migration ${file.name} was applied with checksum ${recorded}, but the file's is now ${file.checksum}: ` +
              'an applied migration must not change; revert the file and add a new migration instead',
            file.name,
          );
        }
        continue;
      }
      await applyOne(lease, driver.dialect === 'postgres', file, table);
      done.push(file.name);
    }
    return done;
  });
}

async function applyOne(lease: SqlLease, postgres: boolean, file: MigrationFile, table: string): Promise<void> {
  await lease.begin(false);
  try {
    await lease.exec(file.sql);
    const insert = postgres ? `INSERT INTO ${table} (name, checksum, applied_at) VALUES ($1, $2, $3)` : `INSERT INTO ${table} (name, checksum, applied_at) VALUES (?, ?, ?)`;
    await lease.query(insert, [file.name, file.checksum, new Date().toISOString()]);
    await lease.commit();
  } catch (error) {
    await lease.rollback().catch(() => undefined);
    throw new SqlMigrationError(
      `migration ${file.name} failed and was rolled back (the migrations before it stay applied): ${(error as Error).message ?? String(error)}`,
      file.name,
      { cause: error },
    );
  }
}
