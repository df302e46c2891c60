import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateNested } from 'class-validator';

/** SMTP credentials; give the password with `!Env`. */
export class MailerAuthConfig {
  @IsString() @MinLength(1)
  user!: string;

  @IsString()
  pass!: string;
}

/** TLS settings of the SMTP connection. */
export class MailerTlsConfig {
  /** Refuse a certificate that does not verify (leave on outside tests). */
  @IsBoolean()
  rejectUnauthorized = true;

  /** A CA certificate in PEM (`!TextFile ca.pem`) for a private CA. */
  @IsOptional() @IsString()
  ca?: string;

  /** The name to check the certificate against, when `host` is an IP address. */
  @IsOptional() @IsString()
  servername?: string;
}

/** Fields every message gets unless it sets them. */
export class MessageDefaultsConfig {
  @IsOptional() @IsString()
  from?: string;

  @IsOptional() @IsString()
  replyTo?: string;

  /** Extra headers, merged under each message's own. */
  @IsOptional() @IsObject()
  headers?: Record<string, string>;
}

/** Config of the `mailer` component (YAML `type: mailer`). */
export class MailerConfig {
  @IsString() @MinLength(1)
  host = '127.0.0.1';

  @IsInt() @Min(1) @Max(65535)
  port = 587;

  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  @IsBoolean()
  secure = false;

  /** Refuse to send unless the server upgrades to TLS with STARTTLS. */
  @IsBoolean()
  requireTLS = false;

  /** Never upgrade with STARTTLS (a local test server). */
  @IsBoolean()
  ignoreTLS = false;

  @IsOptional() @ValidateNested() @Type(() => MailerAuthConfig)
  auth?: MailerAuthConfig;

  @IsOptional() @ValidateNested() @Type(() => MailerTlsConfig)
  tls?: MailerTlsConfig;

  /** Keep SMTP connections open and reuse them. */
  @IsBoolean()
  pool = false;

  @IsInt() @Min(1)
  maxConnections = 5;

  /** ms to wait for the TCP (and TLS) connection. */
  @IsInt() @Min(1)
  connectionTimeout = 10_000;

  /** ms to wait for the server's greeting once connected. */
  @IsInt() @Min(1)
  greetingTimeout = 10_000;

  /** ms of inactivity on a connection before it is dropped. */
  @IsInt() @Min(1)
  socketTimeout = 60_000;

  /** Connect, upgrade and log in once at start, so a wrong host or password stops the start. */
  @IsBoolean()
  verifyOnStart = true;

  @ValidateNested() @Type(() => MessageDefaultsConfig)
  defaults: MessageDefaultsConfig = new MessageDefaultsConfig();

  /** The name of the `TemplateRenderer` that `sendTemplate` uses (when there is one). */
  @Matches(/^\w+$/, { message: 'must be a resource name: letters, digits and _' })
  templates = 'default';

  /** Attachments may name a file on disk by `path`. */
  @IsBoolean()
  allowFileAttachments = true;

  /** Attachments may name a URL as `path` (off: a message cannot make the server fetch URLs). */
  @IsBoolean()
  allowUrlAttachments = false;

  /** ms a health check's result (an SMTP connection and login) is reused. */
  @IsInt() @Min(0)
  healthCacheFor = 30_000;
}
