import { AsphaltError } from '../index';

/**
 * The Redis component could not connect and answer `PING` at start (refused, wrong password, TLS
 * failure, or no answer within `connectTimeout`), or a command was given to a stopped client.
 */
export class RedisConnectionError extends AsphaltError {
  static override readonly code = 'ASPHALT_REDIS_CONNECTION';
}
