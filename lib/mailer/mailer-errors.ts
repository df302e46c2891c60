import { AsphaltError } from '../index';

/** The mail server cannot be reached: refused, timed out, TLS failed, DNS failed, or the connection dropped. */
export class MailerConnectionError extends AsphaltError {
  static override readonly code = 'ASPHALT_MAILER_CONNECTION';
  constructor(
    message: string,
    /** nodemailer's code, e.g. `ECONNECTION`, `ETIMEDOUT`, `ETLS`. */
    readonly smtpCode: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The mail server refused the credentials (or needs some and none were configured). */
export class MailerAuthError extends AsphaltError {
  static override readonly code = 'ASPHALT_MAILER_AUTH';
  constructor(
    message: string,
    /** The server's reply code, e.g. 535. */
    readonly responseCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The server refused a message: every recipient rejected, the sender refused, a 4xx or 5xx reply to the data. */
export class MailDeliveryError extends AsphaltError {
  static override readonly code = 'ASPHALT_MAILER_DELIVERY';
  constructor(
    message: string,
    readonly responseCode: number | undefined,
    /** The recipients the server rejected, when it said. */
    readonly rejected: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A message that cannot be sent as it is: no sender, no recipient, a bad attachment, or the mailer has stopped. */
export class MailMessageError extends AsphaltError {
  static override readonly code = 'ASPHALT_MAILER_MESSAGE';
}

/** `sendTemplate` was called, but there is no template renderer or no template for the message. */
export class MailTemplateError extends AsphaltError {
  static override readonly code = 'ASPHALT_MAILER_TEMPLATE';
}
