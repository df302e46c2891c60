import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentStartError } from '../../lib';
import { Mailer } from '../../lib/mailer';
import { TestSmtpServer } from '../../lib/mailer/testing';
import { startTestApp } from '../../lib/testing';
import { mailApp } from './fixtures';

let dir: string;
let tls: { key: string; cert: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'asphalt-smtp-tls-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  // A self-signed certificate for localhost and 127.0.0.1, valid for a day: its own CA.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  tls = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the mailer over TLS', () => {
  it.each([
    ['STARTTLS, with requireTLS', false],
    ['TLS from the first byte (secure)', true],
  ])('delivers over %s, logging in, when it trusts the certificate through tls.ca', async (_how, implicit) => {
    const smtp = await new TestSmtpServer({ tls: { ...tls, implicit }, auth: { user: 'app', pass: 'secret' } }).start();
    try {
      expect(smtp.mailerConfig).toMatchObject({ secure: implicit, requireTLS: !implicit, ignoreTLS: false });
      const app = await startTestApp(mailApp({ ...smtp.mailerConfig, defaults: { from: 'app@example.com' } }));
      await (await app.context.getResource(Mailer)).send({ to: 'a@example.com', subject: 'sealed', text: 'x' });
      expect((await smtp.waitFor(1))[0]).toMatchObject({ subject: 'sealed', user: 'app' });
    } finally {
      await smtp.stop();
    }
  });

  it('stops the start with a MailerConnectionError that says to give the CA when the certificate does not verify', async () => {
    const smtp = await new TestSmtpServer({ tls }).start();
    try {
      const { tls: _trusted, ...untrusting } = smtp.mailerConfig;
      const error = await startTestApp(mailApp(untrusting)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ComponentStartError);
      expect((error as ComponentStartError).cause).toMatchObject({ code: 'ASPHALT_MAILER_CONNECTION' });
      expect(((error as ComponentStartError).cause as Error).message).toMatch(/give the CA that signed it in tls\.ca/);
    } finally {
      await smtp.stop();
    }
  });
});
