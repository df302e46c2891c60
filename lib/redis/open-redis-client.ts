import { createRedisClient, describeRedisTarget, type RedisClient } from './redis-client';
import type { RedisConnectionConfig } from './redis-config';
import { RedisConnectionError } from './redis-errors';

/** Errors that no reconnection cures: wrong credentials, a refused TLS certificate. */
const fatalAtStart = /WRONGPASS|NOAUTH|NOPERM|invalid password|ERR AUTH|certificate|self[- ]signed|SSL|TLS/i;

/** Options of {@link openRedisClient}. */
export interface OpenRedisClientOptions {
  /** Who opens it, for the error message (e.g. `queue 'emails'`). */
  readonly usedBy: string;
  /** Receives every `'error'` event, from the first connection attempt on (the client always has this listener). */
  readonly onError: (error: Error) => void;
  /** Aborting it gives up connecting (the client is destroyed). */
  readonly signal?: AbortSignal;
}

/**
 * Opens a node-redis client for `settings` and resolves once the server has answered `PING`,
 * within `settings.connectTimeout`; a wrong password or an untrusted TLS certificate fails at once.
 * Throws a {@link RedisConnectionError} that names the target and the last error. For battery
 * authors who need a connection of their own (the queue and scheduler do).
 */
export async function openRedisClient(settings: RedisConnectionConfig, options: OpenRedisClientOptions): Promise<RedisClient> {
  const target = describeRedisTarget(settings);
  const client = createRedisClient(settings, options.usedBy);
  let lastError: Error | undefined;
  let failStart: ((error: Error) => void) | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
    options.onError(error);
    if (failStart !== undefined && fatalAtStart.test(error.message)) failStart(error);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      failStart = reject;
      const timer = setTimeout(
        () => reject(new Error(`no answer to PING within connectTimeout (${settings.connectTimeout} ms)${lastError ? `; last error: ${lastError.message}` : ''}`)),
        settings.connectTimeout,
      );
      const aborted = (): void => reject(new Error('gave up connecting: the component was stopped'));
      options.signal?.addEventListener('abort', aborted, { once: true });
      client
        .connect()
        .then(() => client.ping())
        .then(() => resolve(), reject)
        .finally(() => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', aborted);
        });
    });
  } catch (error) {
    if (client.isOpen) client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new RedisConnectionError(
      `${options.usedBy}: cannot connect to ${target}: ${reason}; check host, port, password and tls in its config, and that the server runs`,
      { cause: error },
    );
  } finally {
    failStart = undefined;
  }
  return client;
}

/** `QUIT` once the pending replies are in (when connected); destroys the socket when that takes longer than `ms`. */
export async function closeRedisClient(client: RedisClient, ms: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const outcome = await Promise.race([client.quit().catch(() => 'failed' as const), late]);
    if ((outcome === 'late' || outcome === 'failed') && client.isOpen) client.destroy();
  } finally {
    clearTimeout(timer);
  }
}
