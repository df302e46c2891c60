import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers, type NatsConnection } from 'nats';
import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { BridgeConnectionError } from '../../lib/bridge/bridge-errors';
import { withCallOptions } from '../../lib/bridge/remote-proxy';
import { consumerConfig, recorder, rejectionOf, startConsumer, startProvider, type Mailer } from './fixtures';
import { startNatsServer, useNatsServer } from './nats-server';

jest.setTimeout(30_000);

const nats = useNatsServer();

describe('when the broker goes away', () => {
  it('fails calls in flight at once, fails new calls fast while down, and recovers after it restarts', async () => {
    const provider = await startProvider(nats().url, 'provider-a', { reconnectWait: 50 });
    const { app, mailer } = await startConsumer(nats().url, { reconnectWait: 50 }, { timeout: 10_000 });
    try {
      expect(await mailer.send('before@example.com')).toMatchObject({ provider: 'provider-a' });
      const inFlight = Array.from({ length: 3 }, () => mailer.slow(5_000));
      // In flight means the provider has started them (an event, not a sleep).
      while (recorder(provider).calls.filter((c) => c === 'slow 5000').length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      const began = Date.now();
      await nats().kill();
      const failures = await Promise.all(inFlight.map(rejectionOf));
      expect(Date.now() - began).toBeLessThan(4_000); // at once: not when the 5 s calls would have ended
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(BridgeConnectionError);
        expect(failure.message).toContain('was lost while the call was in flight');
      }
      const whileDown = Date.now();
      expect(await rejectionOf(mailer.send('during@example.com'))).toMatchObject({ code: 'ASPHALT_BRIDGE_CONNECTION' });
      expect(Date.now() - whileDown).toBeLessThan(5_000); // fast: not the call's 10 s timeout

      await nats().restart();
      expect(await eventually(() => mailer.send('after@example.com'))).toMatchObject({ to: 'after@example.com', provider: 'provider-a' });
      expect(await mailer.send('after2@example.com')).toMatchObject({ provider: 'provider-a' });
    } finally {
      await app.stop();
      await provider.stop();
    }
  });
});

describe('connecting', () => {
  it('waits at startup for a broker that is not up yet', async () => {
    await nats().kill();
    const starting = Promise.all([startProvider(nats().url, 'provider-a', { reconnectWait: 50 }), startConsumer(nats().url, { reconnectWait: 50 })]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await nats().restart();
    const [provider, { app, mailer }] = await starting;
    expect(await mailer.send('ann@example.com')).toMatchObject({ provider: 'provider-a' });
    await app.stop();
    await provider.stop();
  });

  it('names the broker it waits for in the startup timeout tree', async () => {
    await nats().kill();
    try {
      const config = { components: { bridge: { type: 'bridge', servers: [nats().url], startTimeout: 300 } } };
      const error = await rejectionOf(bootstrap(ContainerComponent, config, { logger: silentLogger }));
      expect((error.cause as { pendingTree: string }).pendingTree).toMatch(/root\.bridge \(BridgeComponent\) \[preparing/);
      expect((error.cause as { pendingTree: string }).pendingTree).toContain(`a connection to NATS at ${nats().url}`);
    } finally {
      await nats().restart();
    }
  });

  it('authenticates with user and password from config, and says so clearly when they are wrong', async () => {
    const secured = await startNatsServer(['--user', 'bridge', '--pass', 's3cret']);
    try {
      const provider = await startProvider(secured.url, 'provider-a', { user: 'bridge', pass: 's3cret' });
      const { app, mailer } = await startConsumer(secured.url, { user: 'bridge', pass: 's3cret' });
      expect(await mailer.send('ann@example.com')).toMatchObject({ provider: 'provider-a' });
      await app.stop();
      await provider.stop();
      const wrong = await rejectionOf(bootstrap(ContainerComponent, consumerConfig(secured.url, { user: 'bridge', pass: 'guess' }), { logger: silentLogger }));
      expect(wrong).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'prepare', path: 'root.bridge' });
      expect(wrong.cause).toMatchObject({ code: 'ASPHALT_BRIDGE_CONNECTION', message: expect.stringMatching(/cannot connect to NATS at .*: .*[Aa]uthorization.*check user\/pass/) });
    } finally {
      await secured.stop();
    }
  });
});

describe('a broker that requires a token or TLS', () => {
  it('authenticates with a token from config, and refuses a wrong one clearly', async () => {
    const secured = await startNatsServer(['--auth', 'tok3n']);
    try {
      const provider = await startProvider(secured.url, 'provider-a', { token: 'tok3n' });
      const { app, mailer } = await startConsumer(secured.url, { token: 'tok3n' });
      expect(await mailer.send('ann@example.com')).toMatchObject({ provider: 'provider-a' });
      await app.stop();
      await provider.stop();
      const wrong = await rejectionOf(bootstrap(ContainerComponent, consumerConfig(secured.url, { token: 'guess' }), { logger: silentLogger }));
      expect(wrong).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'prepare', path: 'root.bridge' });
      expect(wrong.cause).toMatchObject({ code: 'ASPHALT_BRIDGE_CONNECTION', message: expect.stringMatching(/[Aa]uthorization.*check user\/pass, token or credsFile/) });
    } finally {
      await secured.stop();
    }
  });

  it('calls over TLS, trusting the broker through caFile, and refuses a broker it cannot verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asphalt-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    // A self-signed certificate for localhost, valid for a day: its own CA. (nats.js checks a
    // server given by IP address against the name 'localhost', so the URL names the host.)
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const secured = await startNatsServer(['--tls', '--tlscert', cert, '--tlskey', key]);
    const url = `tls://localhost:${secured.port}`;
    try {
      const provider = await startProvider(url, 'provider-a', { tls: { caFile: cert } });
      const { app, mailer } = await startConsumer(url, { tls: { caFile: cert } });
      expect(await mailer.send('ann@example.com')).toMatchObject({ to: 'ann@example.com', provider: 'provider-a' });
      await app.stop();
      await provider.stop();
      const untrusted = await rejectionOf(bootstrap(ContainerComponent, consumerConfig(url), { logger: silentLogger }));
      expect(untrusted).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'prepare', path: 'root.bridge' });
      expect(untrusted.cause).toMatchObject({ code: 'ASPHALT_BRIDGE_CONNECTION', message: expect.stringContaining(`cannot connect to NATS at ${url}: `) });
      expect((untrusted.cause as Error).message).toContain("the broker's certificate could not be verified: give the CA that signed it in the bridge config (tls.caFile)");
    } finally {
      await secured.stop();
    }
  });
});

/** Retries `call` until it succeeds (the consumer and the provider reconnect on their own schedules). */
async function eventually<T>(call: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('hostile messages on the call subject', () => {
  let provider: Application;
  let consumer: { app: Application; mailer: Mailer };
  let raw: NatsConnection;

  beforeAll(async () => {
    provider = await startProvider(nats().url, 'provider-a', { maxPayload: 64 * 1024 });
    consumer = await startConsumer(nats().url);
    raw = await connect({ servers: nats().url });
  });

  afterAll(async () => {
    await raw.close();
    await consumer.app.stop();
    await provider.stop();
  });

  /** Sends `data` as a request to the mailer's subject and returns the decoded reply. */
  async function ask(data: string | Uint8Array): Promise<{ x?: { reason: string; message: string }; p?: string; r?: unknown }> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const reply = await raw.request('asphalt.call.SpecMailer.default', bytes, { timeout: 2_000 });
    return JSON.parse(new TextDecoder().decode(reply.data)) as never;
  }

  it.each([
    ['not JSON', '{"m": "send", "a": [', 'malformed'],
    ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x7b]), 'malformed'],
    ['a JSON array', '["send", ["x"]]', 'malformed'],
    ['no method name', '{"a": ["x"]}', 'malformed'],
    ['a method name that is not a string', '{"m": {"toString": 1}, "a": []}', 'malformed'],
    ['arguments that are not a list', '{"m": "send", "a": {"0": "x"}}', 'malformed'],
    ['a bad tagged value', '{"m": "send", "a": [{"$t": "date", "v": "not a date"}]}', 'malformed'],
    ['an unknown tag', '{"m": "send", "a": [{"$t": "function", "v": "alert(1)"}]}', 'malformed'],
    ['a method that is not declared remote', '{"m": "local", "a": []}', 'not-remote'],
    ['an inherited Object method', '{"m": "constructor", "a": []}', 'not-remote'],
    ['__proto__', '{"m": "__proto__", "a": []}', 'not-remote'],
    ['a payload over maxPayload', `{"m": "echo", "a": ["${'x'.repeat(70 * 1024)}"]}`, 'too-large'],
  ])('rejects %s with an error reply and keeps serving', async (_what, data, reason) => {
    const reply = await ask(data);
    expect(reply.x?.reason).toBe(reason);
    expect(reply.p).toBe('provider-a');
    expect(recorder(provider).localCalls).toBe(0);
    expect(await consumer.mailer.send('still@example.com')).toMatchObject({ provider: 'provider-a' });
  });

  it('strips __proto__ keys from what it decodes', async () => {
    const reply = await ask('{"m": "echo", "a": [{"__proto__": {"polluted": true}, "ok": 1}], "__proto__": {"m": "local"}}');
    expect(reply).toEqual({ r: { ok: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(recorder(provider).localCalls).toBe(0);
  });

  it('ignores a request without a reply subject, and a header-only message', async () => {
    raw.publish('asphalt.call.SpecMailer.default', new TextEncoder().encode('{"m":"send","a":["no-reply@example.com"]}'));
    const h = headers();
    h.set('x', 'y');
    raw.publish('asphalt.call.SpecMailer.default', new Uint8Array(), { headers: h });
    await raw.flush();
    expect(await consumer.mailer.send('still@example.com')).toMatchObject({ provider: 'provider-a' });
    expect(recorder(provider).calls).not.toContain('send no-reply@example.com');
  });

  it('drops events on a signal subject that are not in the bridge format, and delivers the next good one', async () => {
    const heard: unknown[] = [];
    const disconnect = consumer.mailer.sent.connect((event) => heard.push(event));
    raw.publish('asphalt.signal.SpecMailer.default.sent', new TextEncoder().encode('{not json'));
    raw.publish('asphalt.signal.SpecMailer.default.sent', new Uint8Array([0xff]));
    await raw.flush();
    await withCallOptions(consumer.mailer, { timeout: 1_000 }).send('event@example.com');
    // NATS keeps one publisher's order: the event was sent before the reply, so it has arrived.
    disconnect();
    expect(heard).toEqual([{ to: 'event@example.com', provider: 'provider-a' }]);
  });
});
