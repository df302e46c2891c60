// asphalt-ts/mailer: a Mailer over SMTP (nodemailer) that holds mail until the transaction commits.
export { Mailer } from './mailer';
export type { MailerOptions, SendOptions } from './mailer';
export type { MailAddress, MailAttachment, MailDeliveredEvent, MailFailedEvent, MailMessage, MailReceipt, MailTransport, SendResult } from './mail-message';
export { SmtpTransport } from './smtp-transport';
export type { SmtpTransportOptions } from './smtp-transport';
export { MailerComponent } from './mailer-component';
export { MailerAuthConfig, MailerConfig, MailerTlsConfig, MessageDefaultsConfig } from './mailer-config';
export { MailDeliveryError, MailerAuthError, MailerConnectionError, MailMessageError, MailTemplateError } from './mailer-errors';
