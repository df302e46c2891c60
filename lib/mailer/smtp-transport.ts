import type Mail from 'nodemailer/lib/mailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type * as Nodemailer from 'nodemailer';
import { type Logger, requirePeer, Signal, silentLogger } from '../index';
import type { MailAddress, MailMessage, MailReceipt, MailTransport } from './mail-message';
import { MailDeliveryError, MailerAuthError, MailerConnectionError, MailMessageError } from './mailer-errors';

/** How {@link SmtpTransport} reaches the server. */
export interface SmtpTransportOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Fail unless the server upgrades with STARTTLS. */
  requireTLS?: boolean;
  /** Never STARTTLS, even when offered. */
  ignoreTLS?: boolean;
  auth?: { user: string; pass: string };
  tls?: { rejectUnauthorized?: boolean; ca?: string; servername?: string };
  /** Keep connections open and reuse them (`maxConnections` at most). */
  pool?: boolean;
  maxConnections?: number;
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
  allowFileAttachments?: boolean;
  allowUrlAttachments?: boolean;
  logger?: Logger;
  label?: string;
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejected?: string[];
}

/** nodemailer's SMTP (or pooled SMTP) transport as a {@link MailTransport}, its errors as coded ones. */
export class SmtpTransport implements MailTransport {
  /** Errors the transporter emits outside a call (a pooled connection that broke); also logged. */
  readonly errors = new Signal<Error>();
  readonly #transporter: Mail;
  readonly #options: SmtpTransportOptions;
  readonly #label: string;

  constructor(options: SmtpTransportOptions) {
    const nodemailer = requirePeer<typeof Nodemailer>('nodemailer', 'asphalt-ts/mailer', '10');
    this.#options = options;
    this.#label = options.label ?? `mailer (smtp ${options.host}:${options.port})`;
    const smtp: SMTPTransportOptions & { pool?: boolean; maxConnections?: number } = {
      host: options.host,
      port: options.port,
      secure: options.secure ?? false,
      requireTLS: options.requireTLS ?? false,
      ignoreTLS: options.ignoreTLS ?? false,
      ...(options.auth === undefined ? {} : { auth: { user: options.auth.user, pass: options.auth.pass } }),
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      connectionTimeout: options.connectionTimeout ?? 10_000,
      greetingTimeout: options.greetingTimeout ?? 10_000,
      socketTimeout: options.socketTimeout ?? 60_000,
      disableFileAccess: !(options.allowFileAttachments ?? true),
      disableUrlAccess: !(options.allowUrlAttachments ?? false),
      logger: false,
      ...(options.pool ? { pool: true, maxConnections: options.maxConnections ?? 5 } : {}),
    };
    this.#transporter = nodemailer.createTransport(smtp as SMTPTransportOptions);
    const logger = options.logger ?? silentLogger;
    this.#transporter.on('error', (error: Error) => {
      logger.error({ err: error }, `${this.#label}: ${error.message}`);
      this.errors.dispatch(error);
    });
  }

  /** Connects, upgrades to TLS and authenticates as configured, then quits. */
  async verify(): Promise<void> {
    try {
      await this.#transporter.verify();
    } catch (error) {
      throw this.#translate(error, 'verify the connection');
    }
  }

  async send(message: MailMessage): Promise<MailReceipt> {
    let info: { messageId: string; accepted?: unknown[]; rejected?: unknown[]; response?: string };
    try {
      info = (await this.#transporter.sendMail(toNodemailer(message))) as typeof info;
    } catch (error) {
      throw this.#translate(error, `send '${message.subject ?? '(no subject)'}'`);
    }
    return {
      messageId: info.messageId,
      accepted: (info.accepted ?? []).map(addressText),
      rejected: (info.rejected ?? []).map(addressText),
      response: info.response ?? '',
    };
  }

  close(): void {
    this.#transporter.close();
  }

  #translate(raw: unknown, action: string): Error {
    const error = asError(raw) as NodemailerError;
    const { host, port } = this.#options;
    const server = `${host}:${port}`;
    const reply = error.response ? ` (server said: ${error.response})` : '';
    switch (error.code) {
      case 'EAUTH':
      case 'ENOAUTH':
        return new MailerAuthError(
          `${this.#label} could not ${action}: the SMTP server ${server} refused the login${reply}; check auth.user and auth.pass (e.g. !Env SMTP_PASSWORD)`,
          error.responseCode,
          { cause: error },
        );
      case 'ECONNECTION':
      case 'ETIMEDOUT':
      case 'ESOCKET':
      case 'EDNS':
      case 'ETLS':
      case 'ECONNREFUSED':
      case 'EPROTOCOL': {
        const certificate = /certificate|self[- ]signed|altnames|unable to verify/i.test(error.message);
        const fix = certificate
          ? "the server's TLS certificate could not be verified: give the CA that signed it in tls.ca (!TextFile ca.pem), and tls.servername when host is an IP address"
          : 'check host, port and secure (465: secure true; 587/25: STARTTLS) and that the server is up';
        return new MailerConnectionError(`${this.#label} could not ${action}: cannot talk to the SMTP server at ${server}: ${error.message}; ${fix}`, error.code, {
          cause: error,
        });
      }
      case 'EMESSAGE':
      case 'ESTREAM':
        return new MailMessageError(`${this.#label} could not ${action}: the message could not be built: ${error.message}`, { cause: error });
      default:
        return new MailDeliveryError(`${this.#label} could not ${action}: ${error.message}${reply}`, error.responseCode, (error.rejected ?? []).map(addressText), {
          cause: error,
        });
    }
  }
}

/** `raw` as an Error; errors from Node's sockets may come from another realm (e.g. under Jest), so no `instanceof`. */
export function asError(raw: unknown): Error {
  const looksLikeError = typeof raw === 'object' && raw !== null && typeof (raw as { message?: unknown }).message === 'string';
  return looksLikeError ? (raw as Error) : new Error(String(raw));
}

function addressText(address: unknown): string {
  if (typeof address === 'string') return address;
  const a = address as { address?: unknown };
  return typeof a?.address === 'string' ? a.address : String(address);
}

function toNodemailer(message: MailMessage): Mail.Options {
  const list = (value: MailAddress | readonly MailAddress[] | undefined): Mail.Options['to'] =>
    value === undefined ? undefined : ((Array.isArray(value) ? [...(value as MailAddress[])] : [value as MailAddress]) as Mail.Options['to']);
  return {
    from: message.from as Mail.Options['from'],
    to: list(message.to),
    cc: list(message.cc),
    bcc: list(message.bcc),
    replyTo: message.replyTo as Mail.Options['replyTo'],
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers: message.headers as Mail.Options['headers'],
    attachments: message.attachments?.map((a) => ({
      filename: a.filename,
      content: a.content instanceof Uint8Array ? Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength) : a.content,
      path: a.path,
      contentType: a.contentType,
      cid: a.cid,
      encoding: a.encoding,
    })),
  };
}
