import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

/** TLS of the server: PEM text, usually read with `!TextFile` in YAML. */
export class HttpTlsConfig {
  /** The certificate chain (PEM). */
  @IsString() cert!: string;
  /** The private key (PEM). */
  @IsString() key!: string;
}

/** A fastify plugin registered by module name (`@fastify/cors`), with its options. */
export class HttpPluginConfig {
  /** The module to `require` (its default export, or `module:Export`). */
  @IsString() module!: string;
  @IsOptional() @IsObject() options?: Record<string, unknown>;
}

/** The health probe endpoints served by the HTTP component (when a `HealthRegistry` is visible). */
export class HttpHealthConfig {
  @IsBoolean() enabled = true;
  @Matches(/^\/\S*$/, { message: 'must be a path starting with /' }) livez = '/livez';
  @Matches(/^\/\S*$/, { message: 'must be a path starting with /' }) readyz = '/readyz';
  @Matches(/^\/\S*$/, { message: 'must be a path starting with /' }) startupz = '/startupz';
  /** Serve the probes on a separate admin port instead of the main one (0: any free port). */
  @IsOptional() @IsInt() @Min(0) @Max(65535) port?: number;
  /** Host of the admin port; default: the main `host`. */
  @IsOptional() @IsString() host?: string;
}

/** Config of {@link HttpComponent} (YAML `type: http`). */
export class HttpConfig {
  /** Address to listen on. */
  @IsString() host = '127.0.0.1';
  /** Port; 0 picks a free one (published in `HttpAddress`). */
  @IsInt() @Min(0) @Max(65535) port = 8080;
  /** fastify's `trustProxy`: honour `X-Forwarded-*` headers. */
  @IsBoolean() trustProxy = false;
  /** Largest request body, in bytes. */
  @IsInt() @Min(1) bodyLimit = 1_048_576;
  /** Milliseconds an idle keep-alive connection is kept open. */
  @IsInt() @Min(1) keepAliveTimeout = 72_000;
  /** Milliseconds a request may take to arrive in full (0: no limit). */
  @IsInt() @Min(0) requestTimeout = 0;
  @IsOptional() @ValidateNested() @Type(() => HttpTlsConfig) tls?: HttpTlsConfig;
  /** Milliseconds between readiness turning false at stop and the server ceasing to accept connections. */
  @IsInt() @Min(0) shutdownDelay = 0;
  /**
   * Milliseconds the requests in flight at stop may take before their sockets are destroyed. Keep
   * `shutdownDelay + drainTimeout` below the component's stop timeout (10 s by default).
   */
  @IsInt() @Min(0) drainTimeout = 8_000;
  /** Seconds sent in `Retry-After` with the 503 of a request that arrives while draining. */
  @IsInt() @Min(0) retryAfter = 5;
  /** fastify plugins to register (in order) before the children register their routes. */
  @ValidateNested({ each: true }) @Type(() => HttpPluginConfig) plugins: HttpPluginConfig[] = [];
  @ValidateNested() @Type(() => HttpHealthConfig) health: HttpHealthConfig = new HttpHealthConfig();
  /** Error responses show messages of 5xx errors and stacks (default: when NODE_ENV is development). */
  @IsOptional() @IsBoolean() exposeErrors?: boolean;
}
