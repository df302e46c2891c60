import { activeTransactionScope, afterCommit, Context, type Logger, Signal, silentLogger } from '../index';
import type { TemplateRenderer, TemplateVars } from '../templating/index';
import type { MailDeliveredEvent, MailFailedEvent, MailMessage, MailTransport, SendResult } from './mail-message';
import { MailMessageError, MailTemplateError } from './mailer-errors';
import { asError } from './smtp-transport';

/** Options of {@link Mailer}. */
export interface MailerOptions {
  transport: MailTransport;
  /** Fields every message gets unless it sets them; `headers` are merged. */
  defaults?: Pick<MailMessage, 'from' | 'replyTo' | 'headers'>;
  /** What `sendTemplate` renders with. */
  templates?: TemplateRenderer;
  logger?: Logger;
  /** Names the mailer in messages and logs, e.g. `mailer 'default'`. */
  label?: string;
}

/** Per-call options of {@link Mailer.send} and {@link Mailer.sendTemplate}. */
export interface SendOptions {
  /** The unit of work the send belongs to; default `Context.current()` when there is one. */
  context?: Context;
  /** Deliver now even inside an open transaction (a password-reset code, an alert). */
  immediate?: boolean;
}

/**
 * Sends e-mail (the resource the `mailer` component publishes). Inside a context whose unit of
 * work has an open transaction (the SQL battery's session), a message is held and delivered only
 * after the commit, and dropped on rollback; pass `{ immediate: true }` to send at once. A held
 * message whose delivery fails is logged and dispatched on {@link Mailer.deliveryFailed}.
 *
 * @example
 * await mailer.send({ to: user.email, subject: 'Welcome', text: 'Hello!' }, { context: ctx });
 * await mailer.sendTemplate('welcome', { user }, { to: user.email }, { context: ctx });
 */
export class Mailer {
  /** Held messages whose delivery after the commit failed. */
  readonly deliveryFailed = new Signal<MailFailedEvent>();
  /** Every delivered message. */
  readonly delivered = new Signal<MailDeliveredEvent>();
  readonly #transport: MailTransport;
  readonly #defaults: Pick<MailMessage, 'from' | 'replyTo' | 'headers'>;
  readonly #templates: TemplateRenderer | undefined;
  readonly #logger: Logger;
  readonly #label: string;
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: MailerOptions) {
    this.#transport = options.transport;
    this.#defaults = options.defaults ?? {};
    this.#templates = options.templates;
    this.#logger = options.logger ?? silentLogger;
    this.#label = options.label ?? 'mailer';
  }

  /** Deliveries under way (including held messages released by a commit and not yet sent). */
  get pendingDeliveries(): number {
    return this.#inFlight.size;
  }

  /**
   * Sends `message` now, or holds it until the open transaction of the context commits.
   * @throws MailMessageError for a message without sender or recipient; when sent now,
   *   MailerConnectionError, MailerAuthError or MailDeliveryError.
   */
  async send(message: MailMessage, options: SendOptions = {}): Promise<SendResult> {
    const prepared = this.#prepare(message);
    const ctx = options.context ?? Context.tryCurrent();
    if (!options.immediate && ctx !== undefined && activeTransactionScope(ctx) !== undefined) {
      afterCommit(ctx, () => void this.#track(this.#deliverHeld(prepared)));
      return { deferred: true };
    }
    const receipt = await this.#track(this.#transport.send(prepared));
    this.delivered.dispatch({ message: prepared, receipt, deferred: false });
    return { deferred: false, ...receipt };
  }

  /**
   * Renders the templates `<name>.subject`, `<name>.text` and `<name>.html` (those that exist;
   * text or html at least) with `vars` and sends the result with the fields of `message`. The
   * templates are rendered at once, so a template error reaches the caller inside its
   * transaction; only the delivery waits for the commit. The html is HTML-escaped (unless the
   * renderer's autoescape is off), the subject and text are not. A `subject` in `message` wins.
   */
  async sendTemplate(name: string, vars: TemplateVars, message: MailMessage = {}, options: SendOptions = {}): Promise<SendResult> {
    const templates = this.#templates;
    if (templates === undefined) {
      throw new MailTemplateError(
        `${this.#label}.sendTemplate('${name}'): there is no template renderer; add a 'templates' component (asphalt-ts/templating) ` +
          `next to the mailer, or set the mailer's 'templates' to the name of the one to use`,
      );
    }
    const [hasSubject, hasText, hasHtml] = await Promise.all([`${name}.subject`, `${name}.text`, `${name}.html`].map((n) => templates.has(n)));
    if (!hasText && !hasHtml) {
      throw new MailTemplateError(
        `${this.#label}.sendTemplate('${name}'): no template ${name}.text${templates.extension} or ${name}.html${templates.extension} in ${templates.folder}; add one (or both)`,
      );
    }
    const [subject, text, html] = await Promise.all([
      hasSubject && message.subject === undefined ? templates.render(`${name}.subject`, vars, { autoescape: false }) : undefined,
      hasText ? templates.render(`${name}.text`, vars, { autoescape: false }) : undefined,
      hasHtml ? templates.render(`${name}.html`, vars) : undefined,
    ]);
    return this.send({ ...message, subject: message.subject ?? subject?.trim(), ...(text === undefined ? {} : { text }), ...(html === undefined ? {} : { html }) }, options);
  }

  /** Waits until every delivery under way has ended (the component calls it at stop). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Refuses further sends; the component calls it at stop, before draining. */
  close(): void {
    this.#closed = true;
  }

  #prepare(message: MailMessage): MailMessage {
    if (this.#closed) throw new MailMessageError(`${this.#label} has stopped; send while its component is running`);
    if (typeof message !== 'object' || message === null) throw new MailMessageError(`${this.#label}.send() needs a message object, got ${message === null ? 'null' : typeof message}`);
    const defaults = this.#defaults;
    const prepared: MailMessage = {
      ...message,
      from: message.from ?? defaults.from,
      replyTo: message.replyTo ?? defaults.replyTo,
      headers: defaults.headers === undefined ? message.headers : { ...defaults.headers, ...message.headers },
    };
    if (prepared.from === undefined) {
      throw new MailMessageError(`${this.#label}: the message has no 'from'; set it on the message or in the mailer's defaults.from`);
    }
    const recipients = [prepared.to, prepared.cc, prepared.bcc].flat().filter((a) => a !== undefined && a !== '');
    if (recipients.length === 0) throw new MailMessageError(`${this.#label}: the message${prepared.subject ? ` '${prepared.subject}'` : ''} has no recipient (to, cc or bcc)`);
    for (const [i, attachment] of (prepared.attachments ?? []).entries()) {
      if (attachment.content === undefined && attachment.path === undefined) {
        throw new MailMessageError(`${this.#label}: attachment ${i}${attachment.filename ? ` (${attachment.filename})` : ''} has neither content nor path`);
      }
    }
    return prepared;
  }

  async #deliverHeld(message: MailMessage): Promise<void> {
    try {
      const receipt = await this.#transport.send(message);
      this.delivered.dispatch({ message, receipt, deferred: true });
    } catch (error) {
      const failure = asError(error);
      this.#logger.error({ err: failure, to: message.to, subject: message.subject }, `${this.#label}: a mail held until commit could not be delivered: ${failure.message}`);
      this.deliveryFailed.dispatch({ message, error: failure });
    }
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const done = (): void => void this.#inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }
}
