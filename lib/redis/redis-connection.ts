import { Signal } from '../index';
import type { RedisClient } from './redis-client';
import type { RedisConnectionConfig } from './redis-config';

/** What happened to a Redis connection (node-redis's client events, named by the resource). */
export interface RedisConnectionEvent {
  readonly type: 'connect' | 'ready' | 'reconnecting' | 'error' | 'end';
  /** The resource name of the client (`default`, or the alias's name: `redis/cache` -> `cache`). */
  readonly name: string;
  /** For `error`: what node-redis reported. */
  readonly error?: Error;
}

/**
 * The state of one published Redis client, published by the `redis` component next to the
 * client under the same name: whether it is ready, its events as a {@link Signal}, the last
 * error, and the connection settings (so other batteries can open connections of their own to
 * the same server).
 *
 * @example
 * const redis = await ctx.getResource(RedisConnection, 'cache');
 * redis.events.connect((e) => { if (e.type === 'error') alert(e.error); });
 */
export class RedisConnection {
  /** Every connection event: connect, ready, reconnecting, error, end. Errors always arrive here (and in the log). */
  readonly events: Signal<RedisConnectionEvent>;
  #name = 'default';
  #lastError: Error | undefined;
  #errors = 0;

  /** @internal made by the `redis` component. */
  constructor(
    readonly client: RedisClient,
    readonly settings: RedisConnectionConfig,
  ) {
    this.events = new Signal<RedisConnectionEvent>({ name: 'RedisConnection.events' });
  }

  /** The resource name the client is published under. */
  get name(): string {
    return this.#name;
  }

  /** @internal set once the component knows under which name it published. */
  set name(name: string) {
    this.#name = name;
  }

  /** Whether the client is connected and ready for commands now. */
  get ready(): boolean {
    return this.client.isReady;
  }

  /** The last error node-redis reported, if any. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** How many errors node-redis has reported since start. */
  get errorCount(): number {
    return this.#errors;
  }

  /** @internal */
  report(type: RedisConnectionEvent['type'], error?: Error): void {
    if (error !== undefined) {
      this.#lastError = error;
      this.#errors++;
    }
    this.events.dispatch(error === undefined ? { type, name: this.#name } : { type, name: this.#name, error });
  }
}
