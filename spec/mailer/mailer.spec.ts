import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComponentStartError, Context } from '../../lib';
import { HealthRegistry } from '../../lib/health';
import { MailDeliveryError, Mailer, MailerAuthError, MailerConnectionError, type MailFailedEvent } from '../../lib/mailer';
import { TestSmtpServer } from '../../lib/mailer/testing';
import { startTestApp } from '../../lib/testing';
import { freePort } from '../bridge/nats-server';
import { mailApp, mailTemplates, recordingLogger } from './fixtures';
import { openTransaction } from './transaction-scope';

const defaults = { from: 'App <app@example.com>', replyTo: 'help@example.com', headers: { 'X-App': 'notes' } };
let smtp: TestSmtpServer;
let templates: string;

beforeAll(async () => {
  smtp = await new TestSmtpServer({ rejectRecipients: ['nobody@example.com'] }).start();
  templates = mailTemplates();
});
afterAll(async () => {
  await smtp.stop();
  rmSync(templates, { recursive: true, force: true });
});
beforeEach(() => smtp.clear());

async function startMailer(extra: Record<string, unknown> = {}, options: Parameters<typeof startTestApp>[2] = {}): Promise<{ mailer: Mailer; context: Context }> {
  const app = await startTestApp(mailApp({ ...smtp.mailerConfig, defaults, ...extra }, templates), {}, options);
  return { mailer: await app.context.getResource(Mailer), context: app.context };
}

describe('the mailer', () => {
  it('delivers headers, text, html and attachments, with the message defaults from config', async () => {
    const { mailer } = await startMailer();
    const file = join(templates, 'report.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const result = await mailer.send({
      to: ['Ada <ada@example.com>', { name: 'Bob', address: 'bob@example.com' }],
      bcc: 'audit@example.com',
      subject: 'Your report',
      text: 'See attached.',
      html: '<p>See <i>attached</i>.</p>',
      headers: { 'X-Request': 'r-1' },
      attachments: [
        { filename: 'hello.txt', content: 'hello world' },
        { filename: 'bytes.bin', content: new Uint8Array([0, 1, 2, 255]), contentType: 'application/octet-stream' },
        { filename: 'report.csv', path: file },
      ],
    });
    expect(result).toMatchObject({ deferred: false, accepted: ['ada@example.com', 'bob@example.com', 'audit@example.com'], rejected: [] });
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({
      envelope: { from: 'app@example.com', to: ['ada@example.com', 'bob@example.com', 'audit@example.com'] },
      from: '"App" <app@example.com>',
      to: ['ada@example.com', 'bob@example.com'],
      subject: 'Your report',
      text: 'See attached.',
      html: '<p>See <i>attached</i>.</p>',
    });
    expect(mail!.headers).toMatchObject({ 'reply-to': 'help@example.com', 'x-app': 'notes', 'x-request': 'r-1' });
    expect(mail!.headers['message-id']).toBe(result.deferred ? undefined : result.messageId);
    expect(mail!.headers.bcc).toBeUndefined();
    expect(mail!.attachments.map((a) => [a.filename, a.contentType, [...a.content]])).toEqual([
      ['hello.txt', 'text/plain', [...Buffer.from('hello world')]],
      ['bytes.bin', 'application/octet-stream', [0, 1, 2, 255]],
      ['report.csv', 'text/csv', [...Buffer.from('a,b\n1,2\n')]],
    ]);
  });

  it('renders subject, text and html from templates, escaping only the html', async () => {
    const { mailer } = await startMailer();
    await mailer.sendTemplate('welcome', { user: { name: 'Ada & <Bob>' }, code: 42 }, { to: 'ada@example.com' });
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({
      subject: 'Welcome, Ada & <Bob>!',
      text: 'Hello Ada & <Bob>, your code is 42.',
      html: '<p>Hello <b>Ada &amp; &lt;Bob&gt;</b>, your code is 42.</p>',
    });
  });

  it('refuses a message with no recipient or no template, before anything is sent', async () => {
    const { mailer } = await startMailer();
    await expect(mailer.send({ subject: 'x', text: 'y' })).rejects.toMatchObject({ code: 'ASPHALT_MAILER_MESSAGE' });
    await expect(mailer.sendTemplate('nope', {}, { to: 'a@example.com' })).rejects.toMatchObject({ code: 'ASPHALT_MAILER_TEMPLATE' });
    await expect(mailer.send({ to: 'a@example.com', attachments: [{ filename: 'empty' }] })).rejects.toMatchObject({ code: 'ASPHALT_MAILER_MESSAGE' });
  });

  it('reports a rejected recipient as a MailDeliveryError with the reply code', async () => {
    const { mailer } = await startMailer();
    const error = await mailer.send({ to: 'nobody@example.com', subject: 'x', text: 'y' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ code: 'ASPHALT_MAILER_DELIVERY' });
    expect((error as Error).message).toMatch(/550/);
  });

  it('contributes a health check that follows the SMTP server', async () => {
    const { context } = await startMailer({ healthCacheFor: 0 });
    const health = await context.getResource(HealthRegistry);
    expect(await health.run()).toMatchObject({ status: 'ok', info: { mailer: { status: 'up', port: smtp.port } } });
    const other = await new TestSmtpServer().start();
    const port = other.port;
    await other.stop();
    const app = await startTestApp(mailApp({ host: '127.0.0.1', port, ignoreTLS: true, verifyOnStart: false, healthCacheFor: 0, defaults }));
    expect(await (await app.context.getResource(HealthRegistry)).run()).toMatchObject({ status: 'error', error: { mailer: { status: 'down' } } });
  });
});

describe('mail sent inside a transaction', () => {
  it('is held until the transaction commits', async () => {
    const { mailer, context } = await startMailer();
    const unit = context.child();
    const tx = openTransaction(unit);
    expect(await mailer.send({ to: 'a@example.com', subject: 'held', text: '1' }, { context: unit })).toEqual({ deferred: true });
    await mailer.send({ to: 'a@example.com', subject: 'now', text: '2' }, { context: unit, immediate: true });
    await smtp.waitFor(1);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['now']);
    await tx.commit();
    await unit.close();
    await smtp.waitFor(2);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['now', 'held']);
  });

  it('finds the transaction through Context.current() when no context is passed', async () => {
    const { mailer, context } = await startMailer();
    const unit = context.child();
    const tx = openTransaction(unit);
    expect(await unit.run(() => mailer.sendTemplate('welcome', { user: { name: 'Ada' }, code: 1 }, { to: 'a@example.com' }))).toEqual({ deferred: true });
    expect(mailer.pendingDeliveries).toBe(0);
    await tx.commit();
    await mailer.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['Welcome, Ada!']);
    await unit.close();
  });

  it('is dropped when the transaction rolls back', async () => {
    const { mailer, context } = await startMailer();
    const unit = context.child();
    const tx = openTransaction(unit);
    await mailer.send({ to: 'a@example.com', subject: 'rolled back', text: '1' }, { context: unit });
    tx.rollback();
    await unit.close(new Error('request failed'));
    // Anything the rollback let through would arrive before this marker.
    await mailer.send({ to: 'a@example.com', subject: 'marker', text: '2' });
    await smtp.waitFor(1);
    await mailer.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['marker']);
  });

  it('logs a held message whose delivery fails after the commit and dispatches it on deliveryFailed', async () => {
    const logger = recordingLogger();
    const { mailer, context } = await startMailer({}, { logger });
    const failed = mailer.deliveryFailed.waitFor(undefined, { timeout: 5_000 });
    const unit = context.child();
    const tx = openTransaction(unit);
    await mailer.send({ to: 'nobody@example.com', subject: 'doomed', text: '1' }, { context: unit });
    await tx.commit();
    const event: MailFailedEvent = await failed;
    expect(event.message.subject).toBe('doomed');
    expect(event.error).toBeInstanceOf(MailDeliveryError);
    expect(logger.errors.some((line) => /held until commit could not be delivered/.test(line))).toBe(true);
    await unit.close();
  });

  it('is delivered before the mailer stops when the commit came first', async () => {
    const app = await startTestApp(mailApp({ ...smtp.mailerConfig, defaults }, templates));
    const mailer = await app.context.getResource(Mailer);
    const unit = app.context.child();
    const tx = openTransaction(unit);
    await mailer.send({ to: 'a@example.com', subject: 'last', text: '1' }, { context: unit });
    await tx.commit();
    await app.stop();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['last']);
    await expect(mailer.send({ to: 'a@example.com', text: 'late' })).rejects.toMatchObject({ code: 'ASPHALT_MAILER_MESSAGE' });
  });
});

describe('the mailer at start', () => {
  it('stops the start with a MailerAuthError when the server refuses the login', async () => {
    const guarded = await new TestSmtpServer({ auth: { user: 'app', pass: 'secret' } }).start();
    try {
      const error = await startTestApp(mailApp({ ...guarded.mailerConfig, auth: { user: 'app', pass: 'wrong' } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComponentStartError);
      expect((error as ComponentStartError).cause).toBeInstanceOf(MailerAuthError);
      expect((error as ComponentStartError).cause).toMatchObject({ code: 'ASPHALT_MAILER_AUTH', responseCode: 535 });
      expect(((error as ComponentStartError).cause as Error).message).toMatch(/refused the login.*check auth\.user and auth\.pass/);

      const app = await startTestApp(mailApp({ ...guarded.mailerConfig, defaults }));
      await (await app.context.getResource(Mailer)).send({ to: 'a@example.com', subject: 'signed in', text: 'x' });
      expect((await guarded.waitFor(1))[0]).toMatchObject({ user: 'app', subject: 'signed in' });
    } finally {
      await guarded.stop();
    }
  });

  it('stops the start with a MailerConnectionError when nothing listens on the port', async () => {
    const port = await freePort();
    const error = await startTestApp(mailApp({ host: '127.0.0.1', port, ignoreTLS: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComponentStartError);
    expect((error as ComponentStartError).cause).toBeInstanceOf(MailerConnectionError);
    expect(((error as ComponentStartError).cause as Error).message).toContain(`127.0.0.1:${port}`);
  });

  it('stops the start within the start timeout when the server never greets', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await startTestApp(mailApp({ host: '127.0.0.1', port, ignoreTLS: true, greetingTimeout: 300 })).catch((e: unknown) => e);
      expect((error as ComponentStartError).cause).toMatchObject({ code: 'ASPHALT_MAILER_CONNECTION' });
    } finally {
      silent.close();
    }
  });
});
