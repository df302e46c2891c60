/** An address: `'ada@example.com'`, `'Ada <ada@example.com>'`, or `{ name, address }`. */
export type MailAddress = string | { readonly name: string; readonly address: string };

/** A file attached to a message: `content` in memory, or a `path` on disk. */
export interface MailAttachment {
  filename?: string;
  content?: string | Uint8Array;
  /** A file path (allowed unless the mailer's `allowFileAttachments` is off). */
  path?: string;
  contentType?: string;
  /** Content id, to show it inline from the HTML (`<img src="cid:logo">`). */
  cid?: string;
  /** How `content` (a string) is encoded: `base64`, `hex`... */
  encoding?: string;
}

/** One e-mail. Fields left out come from the mailer's `defaults` (`from`, `replyTo`, `headers`). */
export interface MailMessage {
  from?: MailAddress;
  to?: MailAddress | readonly MailAddress[];
  cc?: MailAddress | readonly MailAddress[];
  bcc?: MailAddress | readonly MailAddress[];
  replyTo?: MailAddress;
  subject?: string;
  text?: string;
  html?: string;
  headers?: Readonly<Record<string, string>>;
  attachments?: readonly MailAttachment[];
}

/** What the server said about a delivered message. */
export interface MailReceipt {
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's last reply, e.g. `250 OK: queued`. */
  readonly response: string;
}

/** The outcome of `send`: delivered now (with the receipt), or held until the transaction commits. */
export type SendResult = ({ readonly deferred: false } & MailReceipt) | { readonly deferred: true };

/** A held message whose delivery after the commit failed (on `mailer.deliveryFailed`). */
export interface MailFailedEvent {
  readonly message: MailMessage;
  readonly error: Error;
}

/** A message delivered (on `mailer.delivered`); `deferred` when it had waited for a commit. */
export interface MailDeliveredEvent {
  readonly message: MailMessage;
  readonly receipt: MailReceipt;
  readonly deferred: boolean;
}

/**
 * Where the mailer hands messages: the `mailer` component uses SMTP through nodemailer; a test or
 * another backend can give its own.
 */
export interface MailTransport {
  send(message: MailMessage): Promise<MailReceipt>;
  /** Proves the server works (connect, TLS, auth). */
  verify?(): Promise<void>;
  close?(): void | Promise<void>;
}
