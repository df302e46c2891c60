import type { AddressInfo } from 'node:net';
import type * as Mailparser from 'mailparser';
import type * as SmtpServerLib from 'smtp-server';
import { requirePeer, WaitTimeoutError } from '../index';

/** One attachment as it arrived. */
export interface ReceivedAttachment {
  readonly filename: string | undefined;
  readonly contentType: string;
  readonly content: Buffer;
  readonly cid: string | undefined;
}

/** One message as the test server received and parsed it (with mailparser). */
export interface ReceivedMail {
  /** The SMTP envelope: `MAIL FROM` and every `RCPT TO` (bcc included). */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** Header lines by lower-case name (repeated headers joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  readonly from: string | undefined;
  /** Addresses of the `To` header. */
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly subject: string | undefined;
  readonly text: string | undefined;
  readonly html: string | undefined;
  readonly attachments: readonly ReceivedAttachment[];
  /** The user that logged in, when the server required auth. */
  readonly user: string | undefined;
  /** The message as it was sent (RFC 5322 source). */
  readonly raw: string;
}

/** Options of {@link TestSmtpServer}. */
export interface TestSmtpServerOptions {
  /** Require this login (AUTH PLAIN/LOGIN over the plain connection); any other is refused with 535. */
  auth?: { user: string; pass: string };
  /** Recipients refused with `550 mailbox unavailable`. */
  rejectRecipients?: readonly string[];
  /**
   * TLS with this key and certificate (PEM): STARTTLS on the plain port, or TLS from the first byte
   * when `implicit` (as on port 465).
   */
  tls?: { key: string | Buffer; cert: string | Buffer; implicit?: boolean };
}

/** The mailer config that reaches a {@link TestSmtpServer} (see {@link TestSmtpServer.mailerConfig}). */
export interface TestSmtpMailerConfig {
  host: string;
  port: number;
  secure: boolean;
  ignoreTLS: boolean;
  requireTLS: boolean;
  auth?: { user: string; pass: string };
  tls?: { ca: string; servername: string };
}

/**
 * An SMTP server in the test process, on a free loopback port, that records every message it
 * receives, parsed (headers, text, html, attachments), so a test asserts on what was really
 * delivered. Built on smtp-server and mailparser (optional peers: `npm install -D smtp-server mailparser`).
 *
 * @example
 * const smtp = await new TestSmtpServer().start();
 * // config of the mailer: { host: smtp.host, port: smtp.port, ignoreTLS: true }
 * const [mail] = await smtp.waitFor(1);
 * expect(mail.subject).toBe('Welcome');
 * await smtp.stop();
 */
export class TestSmtpServer {
  readonly host = '127.0.0.1';
  readonly #options: TestSmtpServerOptions;
  readonly #messages: ReceivedMail[] = [];
  readonly #waiters = new Set<() => void>();
  #server: SmtpServerLib.SMTPServer | undefined;
  #port = 0;

  constructor(options: TestSmtpServerOptions = {}) {
    this.#options = options;
  }

  /** The port it listens on (after `start()`). */
  get port(): number {
    return this.#port;
  }

  /** What the mailer component's config needs to send here (with TLS: trusting its certificate for `localhost`). */
  get mailerConfig(): TestSmtpMailerConfig {
    const { auth, tls } = this.#options;
    return {
      host: this.host,
      port: this.port,
      secure: tls?.implicit === true,
      ignoreTLS: tls === undefined,
      requireTLS: tls !== undefined && tls.implicit !== true,
      ...(auth ? { auth: { ...auth } } : {}),
      ...(tls ? { tls: { ca: tls.cert.toString(), servername: 'localhost' } } : {}),
    };
  }

  /** Every message received so far, in order of arrival. */
  get messages(): readonly ReceivedMail[] {
    return this.#messages;
  }

  /** Starts listening on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    const { SMTPServer } = requirePeer<typeof SmtpServerLib>('smtp-server', 'asphalt-ts/testing/mailer', '3');
    const { simpleParser } = requirePeer<typeof Mailparser>('mailparser', 'asphalt-ts/testing/mailer', '3');
    const { auth, rejectRecipients = [], tls } = this.#options;
    const disabled = [...(tls === undefined ? ['STARTTLS'] : []), ...(auth === undefined ? ['AUTH'] : [])];
    const server = new SMTPServer({
      logger: false,
      secure: tls?.implicit === true,
      ...(tls === undefined ? {} : { key: tls.key, cert: tls.cert }),
      closeTimeout: 1_000,
      disabledCommands: disabled,
      authOptional: auth === undefined,
      allowInsecureAuth: true,
      onAuth: (login, _session, callback) => {
        if (auth !== undefined && login.username === auth.user && login.password === auth.pass) return callback(null, { user: login.username });
        const refused = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
        callback(refused);
      },
      onRcptTo: (address, _session, callback) => {
        if (rejectRecipients.includes(address.address)) return callback(Object.assign(new Error(`${address.address}: mailbox unavailable`), { responseCode: 550 }));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error: Error) => callback(error));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.#record(parsed, session, raw.toString('utf8'));
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    server.on('error', () => undefined); // a client that drops mid-session is not the test's failure
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, this.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#port = (server.server.address() as AddressInfo).port;
    return this;
  }

  /**
   * Resolves with the messages once at least `count` have arrived.
   * @throws WaitTimeoutError after `timeout` ms (default 5,000), saying how many did.
   */
  waitFor(count: number, { timeout = 5_000 }: { timeout?: number } = {}): Promise<readonly ReceivedMail[]> {
    if (this.#messages.length >= count) return Promise.resolve(this.#messages);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.#messages.length < count) return;
        cleanup();
        resolve(this.#messages);
      };
      const timer = setTimeout(() => {
        cleanup();
        const subjects = this.#messages.map((m) => JSON.stringify(m.subject ?? '')).join(', ');
        reject(new WaitTimeoutError(`TestSmtpServer.waitFor(${count}): ${this.#messages.length} message(s) arrived within ${timeout} ms${subjects ? ` (${subjects})` : ''}`));
      }, timeout);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  /** Forgets the messages received so far. */
  clear(): void {
    this.#messages.length = 0;
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #record(parsed: Mailparser.ParsedMail, session: SmtpServerLib.SMTPServerSession, raw: string): void {
    const headers: Record<string, string> = {};
    for (const { key, line } of parsed.headerLines) {
      const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    const addresses = (field: Mailparser.AddressObject | Mailparser.AddressObject[] | undefined): string[] =>
      (Array.isArray(field) ? field : field ? [field] : []).flatMap((o) => o.value.map((a) => a.address ?? '')).filter((a) => a !== '');
    const from = session.envelope.mailFrom;
    this.#messages.push({
      envelope: { from: from === false ? '' : from.address, to: session.envelope.rcptTo.map((r) => r.address) },
      headers,
      from: parsed.from?.text,
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      subject: parsed.subject,
      text: parsed.text,
      html: parsed.html === false ? undefined : parsed.html,
      attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, cid: a.cid })),
      user: typeof session.user === 'string' ? session.user : undefined,
      raw,
    });
    for (const waiter of [...this.#waiters]) waiter();
  }
}
