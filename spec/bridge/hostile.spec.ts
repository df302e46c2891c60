import { connect, type NatsConnection, type Subscription } from 'nats';
import type { Application } from '../../lib';
import { BridgeConfig } from '../../lib/bridge/bridge-config';
import { RemoteOverloadedError, RemoteRejectedError } from '../../lib/bridge/bridge-errors';
import { recorder, rejectionOf, startConsumer, startProvider, type Mailer } from './fixtures';
import { useNatsServer } from './nats-server';

jest.setTimeout(30_000);

const nats = useNatsServer();
const CALL = 'asphalt.call.SpecMailer.default';
const SENT = 'asphalt.signal.SpecMailer.default.sent';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

let raw: NatsConnection;
const apps: Application[] = [];
beforeAll(async () => {
  raw = await connect({ servers: nats().url });
});
afterEach(async () => {
  const failures: unknown[] = [];
  for (const app of apps.splice(0).reverse()) await app.stop().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} app(s) failed to stop`);
});
afterAll(async () => {
  await raw?.close();
});

/** Every message arriving on `subject` from now on. */
async function collect(subject: string): Promise<{ texts: string[]; sub: Subscription }> {
  const texts: string[] = [];
  const sub = raw.subscribe(subject, { callback: (_e, msg) => texts.push(decoder.decode(msg.data)) });
  await raw.flush();
  return { texts, sub };
}

/** A raw request from a client on the broker (its own inbox), answered by the provider. */
async function rawRequest(text: string): Promise<string> {
  const reply = await raw.request(CALL, encoder.encode(text), { timeout: 10_000 });
  return decoder.decode(reply.data);
}

describe('a request whose reply subject is not an inbox', () => {
  it.each([
    ["a resource's signal subject", SENT],
    ['the call subject itself', CALL],
    ['any other subject', 'billing.invoices.created'],
  ])('gets no reply on %s, so no consumer receives a forged event', async (_what, forgedReply) => {
    const provider = await startProvider(nats().url, 'provider-a');
    apps.push(provider);
    const { app, mailer } = await startConsumer(nats().url);
    apps.push(app);
    const heard: unknown[] = [];
    mailer.sent.connect((event) => void heard.push(event));
    const onForged = await collect(forgedReply);
    const calls = await collect(CALL);

    const forged = JSON.stringify({ m: 'echo', a: [{ to: 'forged@example.com', provider: 'attacker' }] });
    raw.publish(CALL, encoder.encode(forged), { reply: forgedReply });
    // The broker delivers one client's messages in order: once this ping is answered, the forged
    // request has been handled (and dropped).
    expect(JSON.parse(await rawRequest('{"m":"$ping"}'))).toEqual({ p: 'provider-a' });
    await raw.flush();

    // The forged request itself is the only message on its reply subject (when that is the call subject).
    expect(onForged.texts).toEqual(forgedReply === CALL ? [forged, '{"m":"$ping"}'] : []);
    expect(calls.texts).toEqual([forged, '{"m":"$ping"}']);
    // A real event still arrives, and only it.
    await mailer.send('real@example.com');
    for (let i = 0; i < 500 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual([{ to: 'real@example.com', provider: 'provider-a' }]);
    onForged.sub.unsubscribe();
    calls.sub.unsubscribe();
    expect(recorder(provider).calls).toEqual(['send real@example.com']);
  });
});

describe('__proto__ in a request', () => {
  it.each([
    ['literally', '"__proto__"'],
    ['with a JSON escape', '"__proto\\u005f_"'],
    ['with every character escaped', `"${[...'__proto__'].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`],
  ])('is stripped after parsing when spelled %s', async (_how, key) => {
    const provider = await startProvider(nats().url, 'provider-a');
    apps.push(provider);
    const received: unknown[] = [];
    const mailer = recorder(provider);
    const echo = mailer.echo.bind(mailer);
    mailer.echo = async (value: unknown) => {
      received.push(value);
      return echo(value);
    };
    const reply = await rawRequest(`{"m":"echo","a":[{${key}:{"polluted":true},"ok":1}]}`);
    expect(JSON.parse(reply)).toEqual({ r: { ok: 1 } });
    expect(received).toHaveLength(1);
    const value = received[0] as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(value)).toEqual(['ok']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('error replies', () => {
  it('carry no stack or file paths by default outside development', async () => {
    expect(process.env.NODE_ENV).not.toBe('development');
    apps.push(await startProvider(nats().url, 'provider-a'));
    const reply = await rawRequest('{"m":"fail","a":["full"]}');
    const { e } = JSON.parse(reply) as { e: Record<string, unknown> };
    expect(e).toEqual({ name: 'MailboxFullError', message: 'full', code: 'E_MAILBOX_FULL' });
    expect(reply).not.toContain(__dirname);
    const { app, mailer } = await startConsumer(nats().url);
    apps.push(app);
    expect(await rejectionOf(mailer.fail('full'))).toMatchObject({ code: 'ASPHALT_REMOTE_ERROR', remoteStack: undefined });
  });

  it('default remoteStacks to on in development (NODE_ENV=development)', () => {
    const before = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'development';
      expect(new BridgeConfig().remoteStacks).toBe(true);
      process.env.NODE_ENV = 'production';
      expect(new BridgeConfig().remoteStacks).toBe(false);
      delete process.env.NODE_ENV;
      expect(new BridgeConfig().remoteStacks).toBe(false);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});

describe('calls in flight', () => {
  it('are bounded per export: past maxConcurrentCalls the caller gets a RemoteOverloadedError at once', async () => {
    const provider = await startProvider(nats().url, 'provider-a', { maxConcurrentCalls: 4 });
    apps.push(provider);
    const { app, mailer } = await startConsumer(nats().url, {}, { timeout: 20_000 });
    apps.push(app);
    const calls = Array.from({ length: 40 }, () => mailer.slow(3_000).then((value) => ({ value }), (error: unknown) => ({ error })));
    const outcomes = await Promise.all(calls);
    const ok = outcomes.filter((o) => 'value' in o);
    const refused = outcomes.filter((o): o is { error: unknown } => 'error' in o).map((o) => o.error);
    expect(ok).toHaveLength(4);
    expect(refused).toHaveLength(36);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RemoteOverloadedError);
      expect(error).toBeInstanceOf(RemoteRejectedError);
      expect(error).toMatchObject({ code: 'ASPHALT_REMOTE_OVERLOADED', reason: 'overloaded', provider: 'provider-a' });
      expect((error as Error).message).toContain("is running 4 calls, its limit (maxConcurrentCalls)");
    }
    expect(recorder(provider).calls.filter((c) => c === 'slow 3000')).toHaveLength(4);
    // Once they are done, calls are taken again.
    expect(await mailer.send('after@example.com')).toMatchObject({ provider: 'provider-a' });
  });

  it('from a raw client flood are refused past the limit, not queued', async () => {
    const provider = await startProvider(nats().url, 'provider-a', { maxConcurrentCalls: 8 });
    apps.push(provider);
    const replies = await Promise.all(
      Array.from({ length: 2_000 }, () => raw.request(CALL, encoder.encode('{"m":"slow","a":[2000]}'), { timeout: 20_000 }).then((m) => decoder.decode(m.data))),
    );
    const overloaded = replies.filter((r) => (JSON.parse(r) as { x?: { reason: string } }).x?.reason === 'overloaded');
    expect(replies.length - overloaded.length).toBe(8);
    expect(overloaded).toHaveLength(1_992);
  });
});

/** Keeps the type import used (the fixtures' Mailer is the remote interface of these specs). */
export type { Mailer };
