import { bootstrap, ContainerComponent, resolveGraph, silentLogger, type Application } from '../../lib';
import { withCallOptions } from '../../lib/bridge/remote-proxy';
import { consumerConfig, Mailer, recorder, rejectionOf, startConsumer, startProvider } from './fixtures';
import { useNatsServer } from './nats-server';

jest.setTimeout(20_000);

const nats = useNatsServer();
const apps: Application[] = [];
const track = <T extends Application | { app: Application }>(started: T): T => {
  apps.push('app' in started ? started.app : started);
  return started;
};

afterEach(async () => {
  // Stop every app, then fail the test if any stop failed (a stop error is a bug, not noise).
  const failures: unknown[] = [];
  for (const app of apps.splice(0).reverse()) await app.stop().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} app(s) failed to stop`);
});

describe('a remote resource', () => {
  it('is published as a proxy whose methods resolve with the remote results', async () => {
    const provider = track(await startProvider(nats().url, 'provider-a'));
    const { mailer } = track(await startConsumer(nats().url));
    const receipt = await mailer.send('ann@example.com');
    expect(receipt).toEqual({ to: 'ann@example.com', provider: 'provider-a', at: new Date('2024-05-01T12:00:00Z') });
    expect(recorder(provider).calls).toEqual(['send ann@example.com']);
    const value = { n: 1, list: [1, undefined, 'x'], bytes: new Uint8Array([1, 2]), big: 10n ** 20n, $t: 'kept' };
    expect(await mailer.echo(value)).toEqual(value);
    expect(Object.keys(mailer).sort()).toEqual(['echo', 'fail', 'send', 'sent', 'slow']);
  });

  it('rejects with a RemoteError carrying the remote code, message, stack (remoteStacks: true) and provider', async () => {
    track(await startProvider(nats().url, 'provider-a', { remoteStacks: true }));
    const { mailer } = track(await startConsumer(nats().url));
    const error = await rejectionOf(mailer.fail('the mailbox of ann is full'));
    expect(error).toMatchObject({
      code: 'ASPHALT_REMOTE_ERROR',
      remoteCode: 'E_MAILBOX_FULL',
      remoteName: 'MailboxFullError',
      remoteMessage: 'the mailbox of ann is full',
      provider: 'provider-a',
      site: { remoteKey: 'SpecMailer', resourceName: 'default', method: 'fail' },
    });
    expect(error.remoteStack).toContain('RecordingMailer.fail');
    expect(error.stack).toContain('Remote stack (provider provider-a)');
  });

  it('fails a call that outlasts its timeout, set per import or per call', async () => {
    track(await startProvider(nats().url, 'provider-a'));
    const { mailer } = track(await startConsumer(nats().url, {}, { timeout: 150 }));
    const began = Date.now();
    expect(await rejectionOf(mailer.slow(3_000))).toMatchObject({ code: "ASPHALT_REMOTE_TIMEOUT", timeout: 150 });
    // Before the reply could have come (a 150 ms timeout holds this at 10x load).
    expect(Date.now() - began).toBeLessThan(2_500);
    expect(await withCallOptions(mailer, { timeout: 2_000 }).slow(300)).toBe('provider-a after 300 ms');
    expect(await rejectionOf(withCallOptions(mailer, { timeout: 50 }).slow(300))).toMatchObject({ timeout: 50 });
  });

  it('rejects a call at once when its AbortSignal aborts', async () => {
    track(await startProvider(nats().url, 'provider-a'));
    const { mailer } = track(await startConsumer(nats().url));
    const controller = new AbortController();
    const call = withCallOptions(mailer, { signal: controller.signal }).slow(3_000);
    setTimeout(() => controller.abort(new Error('user went away')), 50);
    const began = Date.now();
    const error = await rejectionOf(call);
    expect(error).toMatchObject({ code: 'ASPHALT_REMOTE_ABORTED', message: expect.stringContaining('user went away') });
    expect(Date.now() - began).toBeLessThan(2_500); // before the reply could have come
    expect(await rejectionOf(withCallOptions(mailer, { signal: AbortSignal.abort() }).send('x'))).toMatchObject({ code: 'ASPHALT_REMOTE_ABORTED' });
  });

  it('fails with NoRemoteProviderError, not a timeout, once its provider has stopped', async () => {
    const provider = await startProvider(nats().url, 'provider-a');
    const { mailer } = track(await startConsumer(nats().url, {}, { timeout: 5_000 }));
    await provider.stop();
    const began = Date.now();
    expect(await rejectionOf(mailer.send('ann@example.com'))).toMatchObject({ code: 'ASPHALT_NO_REMOTE_PROVIDER' });
    expect(Date.now() - began).toBeLessThan(4_000); // not the 5 s timeout
  });

  it('refuses arguments that cannot be sent, before sending, naming where they are', async () => {
    const provider = track(await startProvider(nats().url, 'provider-a', { maxPayload: 4_096 }));
    const { mailer } = track(await startConsumer(nats().url, { maxPayload: 2_048 }));
    expect(await rejectionOf(mailer.echo({ transport: new Map() }))).toMatchObject({ code: 'ASPHALT_BRIDGE_PAYLOAD', path: 'args[0].transport' });
    expect(await rejectionOf(mailer.echo([() => 1]))).toMatchObject({ path: 'args[0][0]' });
    expect(await rejectionOf(mailer.echo('x'.repeat(3_000)))).toMatchObject({ code: 'ASPHALT_BRIDGE_PAYLOAD', message: expect.stringContaining('maxPayload of 2048') });
    expect(recorder(provider).calls).toEqual([]);
  });

  it('shares the calls between two providers', async () => {
    const a = track(await startProvider(nats().url, 'provider-a'));
    const b = track(await startProvider(nats().url, 'provider-b'));
    const { mailer } = track(await startConsumer(nats().url));
    const receipts = await Promise.all(Array.from({ length: 60 }, (_, i) => mailer.send(`user${i}@example.com`)));
    const served = new Set(receipts.map((r) => r.provider));
    expect(served).toEqual(new Set(['provider-a', 'provider-b']));
    expect(recorder(a).calls.length + recorder(b).calls.length).toBe(60);
  });

  it('answers every call a provider accepted before it stops (drain), while the other takes new ones', async () => {
    const a = await startProvider(nats().url, 'provider-a');
    const { mailer } = track(await startConsumer(nats().url));
    const accepted = Array.from({ length: 5 }, () => mailer.slow(400));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const b = track(await startProvider(nats().url, 'provider-b'));
    const stopping = a.stop();
    const during = await Promise.all(Array.from({ length: 5 }, () => mailer.send('during@example.com')));
    expect(await Promise.all(accepted)).toEqual(Array(5).fill('provider-a after 400 ms'));
    await stopping;
    const after = await Promise.all(Array.from({ length: 5 }, () => mailer.send('after@example.com')));
    expect(during).toHaveLength(5);
    expect(after.map((r) => r.provider)).toEqual(Array(5).fill('provider-b'));
    expect(recorder(b).calls.filter((c) => c === 'send after@example.com')).toHaveLength(5);
  });

  it('forwards the events of a remote signal to every consumer', async () => {
    track(await startProvider(nats().url, 'provider-a'));
    const first = track(await startConsumer(nats().url));
    const second = track(await startConsumer(nats().url));
    const heard: string[] = [];
    first.mailer.sent.connect((e) => heard.push(`first: ${e.to} via ${e.provider}`));
    second.mailer.sent.connect((e) => heard.push(`second: ${e.to} via ${e.provider}`));
    const arrived = second.mailer.sent.waitFor((e) => e.to === 'bob@example.com', { timeout: 2_000 });
    await first.mailer.send('bob@example.com');
    await arrived;
    expect(heard.sort()).toEqual(['first: bob@example.com via provider-a', 'second: bob@example.com via provider-a']);
  });
});

describe('an import at startup', () => {
  it('waits until a provider answers', async () => {
    let started = false;
    const consumer = startConsumer(nats().url).then((c) => {
      started = true;
      return track(c);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toBe(false);
    track(await startProvider(nats().url, 'provider-a'));
    const { mailer } = await consumer;
    expect((await mailer.send('ann@example.com')).provider).toBe('provider-a');
  });

  it('times out with a startup tree that names the remote provider it waits for', async () => {
    const error = await rejectionOf(
      bootstrap(ContainerComponent, consumerConfig(nats().url, { import: [{ key: 'SpecMailer', startTimeout: 300 }] }), { logger: silentLogger }),
    );
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'timeout', path: 'root.bridge.import-SpecMailer' });
    const timeout = error.cause as { code: string; pendingTree: string };
    expect(timeout.code).toBe('ASPHALT_STARTUP_TIMEOUT');
    expect(timeout.pendingTree).toMatch(/root\.bridge\.import-SpecMailer \(.+\) \[starting/);
    expect(timeout.pendingTree).toContain(`a remote provider of SpecMailer 'default' on ${nats().url}`);
    expect(timeout.pendingTree).toMatch(/root\.signup \(\w+\) \[waiting [\d.]+ s\] for Mailer 'default' \(from root\.bridge\.import-SpecMailer\)/);
  });
});

describe('the graph of an application with a bridge', () => {
  it('shows an import as a remote provider, child of the bridge, without connecting', () => {
    const { graph } = resolveGraph(ContainerComponent, consumerConfig('nats://127.0.0.1:1'));
    expect(graph.edges).toContainEqual(expect.objectContaining({ provider: 'root.bridge.import-SpecMailer', consumer: 'root.signup' }));
    expect(graph.nodes.get('root.bridge.import-SpecMailer')).toMatchObject({
      type: "remote SpecMailer 'default' (bridge import)",
      provides: [expect.objectContaining({ key: Mailer, name: 'default', description: expect.stringContaining('remote') })],
    });
  });

  it('reports an export whose local resource nobody provides, an unknown key and a bad config together', () => {
    const config = {
      components: {
        bridge: { type: 'bridge', servers: ['http://x'], export: [{ key: 'SpecMailer' }] },
        other: { type: 'bridge', import: [{ key: 'SpecMailr' }] },
      },
    };
    let problems: { code: string; message: string }[] = [];
    try {
      resolveGraph(ContainerComponent, config);
    } catch (error) {
      problems = (error as { problems: typeof problems }).problems;
    }
    expect(problems.map((p) => p.code).sort()).toEqual(['ASPHALT_CONFIG', 'ASPHALT_REMOTE_DECLARATION']);
    expect(problems.find((p) => p.code === 'ASPHALT_REMOTE_DECLARATION')!.message).toContain("did you mean 'SpecMailer'?");
    const missing = () => resolveGraph(ContainerComponent, { components: { bridge: { type: 'bridge', export: [{ key: 'SpecMailer' }] } } });
    expect(missing).toThrow(/root\.bridge\.export-SpecMailer requires Mailer 'default', but nothing provides it/);
  });
});
