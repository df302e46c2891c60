import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';

/** One resource to import: a proxy published under the remote key and name. */
export class RemoteImportConfig {
  /** The remote id of the key (`@remote('Mailer', ...)` or a token's id). */
  @Matches(/^[A-Za-z_][\w-]*$/, { message: 'must be a remote id: letters, digits, _ and -' })
  key!: string;

  @Matches(/^\w+$/, { message: 'must be a resource name: letters, digits and _' })
  name = 'default';

  /** Milliseconds a call may take; defaults to the bridge's `callTimeout`. */
  @IsOptional() @IsInt() @Min(1)
  timeout?: number;

  /** Milliseconds the import waits at startup for a provider; defaults to the start timeout. */
  @IsOptional() @IsInt() @Min(1)
  startTimeout?: number;
}

/** One local resource to export to other processes. */
export class RemoteExportConfig {
  @Matches(/^[A-Za-z_][\w-]*$/, { message: 'must be a remote id: letters, digits, _ and -' })
  key!: string;

  @Matches(/^\w+$/, { message: 'must be a resource name: letters, digits and _' })
  name = 'default';

  /** Calls of this export running at once; defaults to the bridge's `maxConcurrentCalls`. */
  @IsOptional() @IsInt() @Min(1)
  maxConcurrentCalls?: number;
}

/** TLS to the broker (files are read by the NATS client). */
export class BridgeTlsConfig {
  @IsOptional() @IsString() caFile?: string;
  @IsOptional() @IsString() certFile?: string;
  @IsOptional() @IsString() keyFile?: string;
  /** TLS before the NATS INFO (the server must be configured with `handshake_first`). */
  @IsOptional() @IsBoolean() handshakeFirst?: boolean;
}

/** Config of the `bridge` component. */
export class BridgeConfig {
  /** NATS servers (`nats://host:port`, `tls://host:port`); the client fails over between them. */
  @IsArray()
  @ArrayNotEmpty()
  @Matches(/^(nats|tls):\/\/\S+$/, { each: true, message: 'each server must be a nats:// or tls:// URL' })
  servers: string[] = ['nats://127.0.0.1:4222'];

  @IsArray() @ValidateNested({ each: true }) @Type(() => RemoteImportConfig)
  import: RemoteImportConfig[] = [];

  @IsArray() @ValidateNested({ each: true }) @Type(() => RemoteExportConfig)
  export: RemoteExportConfig[] = [];

  /** First subject token of everything the bridge sends: `<prefix>.call.<key>.<name>`. */
  @Matches(/^[\w-]+(\.[\w-]+)*$/, { message: 'must be subject tokens (letters, digits, _ and -) joined by dots' })
  subjectPrefix = 'asphalt';

  /** Milliseconds a remote call may take, unless the import or the call says otherwise. */
  @IsInt() @Min(1)
  callTimeout = 5_000;

  /** Largest encoded request, reply or event, in bytes (never above the broker's max_payload). */
  @IsInt() @Min(1024)
  maxPayload = 1_048_576;

  /** How this process is named in remote errors and to the broker; default `host:pid:n`. */
  @IsOptional() @Matches(/^[\w.:@-]+$/, { message: 'must be letters, digits and _ . : @ -' })
  providerId?: string;

  @IsOptional() @IsString() user?: string;
  @IsOptional() @IsString() pass?: string;
  @IsOptional() @IsString() token?: string;
  /** A NATS credentials file (JWT + nkey seed), as issued for decentralized auth. */
  @IsOptional() @IsString() credsFile?: string;

  @IsOptional() @ValidateNested() @Type(() => BridgeTlsConfig)
  tls?: BridgeTlsConfig;

  /** Milliseconds between reconnection attempts (and first-connection attempts at startup). */
  @IsInt() @Min(10)
  reconnectWait = 250;

  /**
   * Send the stack of a remote method's error (with the provider's file paths) to the caller.
   * Default: on only when `NODE_ENV` is `development`; set `remoteStacks: true` to turn it on
   * elsewhere (any client allowed on the call subject can read them).
   */
  @IsBoolean()
  remoteStacks = process.env.NODE_ENV === 'development';

  /**
   * Calls each export runs at once; a request past it is refused at once with an `overloaded`
   * reply (the caller gets a `RemoteOverloadedError`), so a flood cannot queue unbounded work.
   */
  @IsInt() @Min(1)
  maxConcurrentCalls = 256;
}
