import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** TLS to the server: PEM text (use `!TextFile` or `!Env` in YAML) and checks. */
export class RedisTlsConfig {
  /** CA certificate(s) that signed the server's certificate, PEM. */
  @IsOptional() @IsString() ca?: string;
  /** Client certificate, PEM (for servers that require one). */
  @IsOptional() @IsString() cert?: string;
  /** Client private key, PEM. */
  @IsOptional() @IsString() key?: string;
  /** Name checked against the server's certificate (default: the host). */
  @IsOptional() @IsString() servername?: string;
  /** Refuse a server whose certificate does not check out. Default true. */
  @IsBoolean() rejectUnauthorized = true;
}

/** Delays between reconnection attempts: `initialDelay * 2^attempt`, at most `maxDelay`, plus up to 10 % jitter. */
export class RedisReconnectConfig {
  @IsInt() @Min(1) initialDelay = 50;
  @IsInt() @Min(1) maxDelay = 2_000;
}

/**
 * Connection settings of a Redis server, shared by the `redis` component and by the batteries that
 * open their own connections from them (`queue`, `queue-worker`, `scheduler`).
 */
export class RedisConnectionConfig {
  /** `redis://[user:pass@]host:port/db` or `rediss://` (TLS); when given, it wins over host/port/db. */
  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  url?: string;

  @IsString() host = '127.0.0.1';
  @IsInt() @Min(1) @Max(65_535) port = 6379;
  /** Database number (`SELECT`). */
  @IsInt() @Min(0) db = 0;

  @IsOptional() @IsString() username?: string;
  /** Use `!Env REDIS_PASSWORD` in YAML rather than the password itself. */
  @IsOptional() @IsString() password?: string;

  @IsOptional() @ValidateNested() @Type(() => RedisTlsConfig)
  tls?: RedisTlsConfig;

  /** Milliseconds the first connection (connect + `PING`) may take at start, and each reconnect's socket connect. */
  @IsInt() @Min(1) connectTimeout = 5_000;

  /** Milliseconds a command may wait for its reply before it is rejected (0: no limit). */
  @IsInt() @Min(0) commandTimeout = 0;

  @ValidateNested() @Type(() => RedisReconnectConfig)
  reconnect: RedisReconnectConfig = new RedisReconnectConfig();

  /**
   * Queue commands while disconnected (sent after the reconnection) instead of failing them at once.
   * Default false: while the server is down a command fails with node-redis's `ClientOfflineError`.
   */
  @IsBoolean() offlineQueue = false;

  /** `CLIENT SETNAME` of the connection, shown by `CLIENT LIST`. */
  @IsOptional() @Matches(/^\S+$/, { message: 'must have no spaces' }) clientName?: string;
}

/** Config of the `redis` component: the connection settings plus how it stops and is checked. */
export class RedisConfig extends RedisConnectionConfig {
  /** At stop, milliseconds the pending replies may take before the socket is destroyed. */
  @IsInt() @Min(0) closeTimeout = 2_000;
  /** Milliseconds the health check's `PING` may take. */
  @IsInt() @Min(1) healthTimeout = 1_000;
}
