import { TestSmtpServer } from 'asphalt-ts/testing/mailer';
import { Component } from '../../lib';
import { Mailer, MailerComponent, SmtpTransport } from '../../lib/mailer';
import { startTestApp } from '../../lib/testing';

describe('TestSmtpServer (asphalt-ts/testing/mailer)', () => {
  let smtp: TestSmtpServer;
  beforeEach(async () => {
    smtp = await new TestSmtpServer({ auth: { user: 'u', pass: 'p' } }).start();
  });
  afterEach(() => smtp.stop());

  it('listens on a free loopback port and records what it receives, with the login used', async () => {
    expect(smtp.port).toBeGreaterThan(0);
    const transport = new SmtpTransport({ host: smtp.host, port: smtp.port, ignoreTLS: true, auth: { user: 'u', pass: 'p' } });
    await transport.send({ from: 'a@example.com', to: 'b@example.com', cc: 'c@example.com', subject: 'Hi', text: 'there' });
    transport.close();
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ subject: 'Hi', text: 'there\n', to: ['b@example.com'], cc: ['c@example.com'], user: 'u', html: undefined });
    expect(mail!.raw).toMatch(/^[\s\S]*Subject: Hi/);
    smtp.clear();
    expect(smtp.messages).toEqual([]);
  });

  it('times out waitFor with a coded error that says how many arrived', async () => {
    await expect(smtp.waitFor(1, { timeout: 50 })).rejects.toMatchObject({ code: 'ASPHALT_WAIT_TIMEOUT', message: expect.stringMatching(/0 message\(s\) arrived within 50 ms/) });
  });

  it('refuses a wrong login with 535', async () => {
    const transport = new SmtpTransport({ host: smtp.host, port: smtp.port, ignoreTLS: true, auth: { user: 'u', pass: 'nope' } });
    await expect(transport.verify()).rejects.toMatchObject({ code: 'ASPHALT_MAILER_AUTH', responseCode: 535 });
    transport.close();
  });
});

describe('TestSmtpServer with an application', () => {
  it('takes the mailer config of a test app from mailerConfig', async () => {
    class App extends Component {
      constructor() {
        super();
        this.addComponent('mailer', MailerComponent, { defaults: { from: 'app@example.com' } });
      }
    }
    const smtp = await new TestSmtpServer().start();
    try {
      const app = await startTestApp(App, { components: { mailer: smtp.mailerConfig } });
      await (await app.context.getResource(Mailer)).send({ to: 'ada@example.com', subject: 'Welcome, Ada!', text: 'hi' });
      const [mail] = await smtp.waitFor(1);
      expect(mail).toMatchObject({ subject: 'Welcome, Ada!', envelope: { from: 'app@example.com' } });
    } finally {
      await smtp.stop();
    }
  });
});
