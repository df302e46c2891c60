import type { RedisClient } from '../redis/index';

/** Where the scheduler claims each run, so that one instance (of however many) runs it. */
export interface RunStore {
  /** Whether this instance got the run of `schedule` at `fireTime` (false: another instance has it). */
  claim(schedule: string, fireTime: Date, ttl: number): Promise<boolean>;
  close(): Promise<void>;
}

/** One process: every run is claimed by the only instance. */
export class MemoryRunStore implements RunStore {
  readonly #claimed = new Map<string, number>();

  async claim(schedule: string, fireTime: Date, ttl: number): Promise<boolean> {
    const now = Date.now();
    for (const [key, until] of this.#claimed) if (until < now) this.#claimed.delete(key);
    const key = `${schedule}\0${fireTime.getTime()}`;
    if (this.#claimed.has(key)) return false;
    this.#claimed.set(key, now + ttl);
    return true;
  }

  async close(): Promise<void> {}
}

/** Many instances: each run claimed with `SET <prefix>:<schedule>:<fire time ms> <instance> NX PX <ttl>`. */
export class RedisRunStore implements RunStore {
  constructor(
    readonly client: RedisClient,
    readonly prefix: string,
    readonly instance: string,
    readonly onClose: () => Promise<void>,
  ) {}

  async claim(schedule: string, fireTime: Date, ttl: number): Promise<boolean> {
    const reply = await this.client.set(`${this.prefix}:${schedule}:${fireTime.getTime()}`, this.instance, { condition: 'NX', expiration: { type: 'PX', value: ttl } });
    return reply === 'OK';
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** What {@link SqlRunStore} needs of a database: one statement on its own (the `SqlDatabase` resource). */
export interface SqlStatementRunner {
  query(statement: string, params?: readonly unknown[]): Promise<{ readonly rowCount: number }>;
}

/**
 * Many instances over PostgreSQL (the `sql` battery's database):
 * each run claimed by inserting its `(schedule, fire time)` row into `table`, whose primary key
 * lets only one instance in (`INSERT ... ON CONFLICT DO NOTHING`); rows past their ttl are deleted.
 */
export class SqlRunStore implements RunStore {
  #lastSweep = 0;

  constructor(
    readonly db: SqlStatementRunner,
    readonly table: string,
    readonly instance: string,
  ) {}

  /** Creates the table when it does not exist (at the scheduler's start). */
  async prepare(): Promise<void> {
    await this.db.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (schedule TEXT NOT NULL, fire_time BIGINT NOT NULL, instance TEXT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (schedule, fire_time))`,
    );
  }

  async claim(schedule: string, fireTime: Date, ttl: number): Promise<boolean> {
    const now = Date.now();
    if (now - this.#lastSweep > 60_000) {
      this.#lastSweep = now;
      await this.db.query(`DELETE FROM ${this.table} WHERE expires_at < $1`, [now]);
    }
    const result = await this.db.query(
      `INSERT INTO ${this.table} (schedule, fire_time, instance, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (schedule, fire_time) DO NOTHING`,
      [schedule, fireTime.getTime(), this.instance, now + ttl],
    );
    return result.rowCount === 1;
  }

  async close(): Promise<void> {}
}
