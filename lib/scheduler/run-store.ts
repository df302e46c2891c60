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
