import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { loadConfig } from '../../lib/runner';
import { HealthComponent, HealthRegistry } from '../../lib/health';
import { RedisClient, RedisComponent, RedisConnection, type RedisConnectionEvent } from '../../lib/redis';
import { startRedisServer, useRedisServer } from './redis-server';

jest.setTimeout(90_000);

const redis = useRedisServer();
const apps: Application[] = [];

afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.stop().catch(() => undefined);
});

async function start(components: Record<string, object>): Promise<Application> {
  const app = await bootstrap(ContainerComponent, { components: { health: { type: HealthComponent }, ...components } }, { logger: silentLogger });
  apps.push(app);
  return app;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; cause?: unknown; phase?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('the redis component', () => {
  it('publishes a client that has answered PING before the application starts, with a health check', async () => {
    const app = await start({ redis: { type: RedisComponent, port: redis().port } });
    const client = await app.context.getResource(RedisClient);
    expect(client.isReady).toBe(true);
    await client.set('spec:greeting', 'hello');
    expect(await client.get('spec:greeting')).toBe('hello');
    const connection = await app.context.getResource(RedisConnection);
    expect(connection).toMatchObject({ name: 'default', ready: true, errorCount: 0 });
    expect(connection.client).toBe(client);
    const report = await (await app.context.getResource(HealthRegistry)).run();
    expect(report).toMatchObject({ status: 'ok', info: { 'redis:default': { status: 'up', target: `redis://127.0.0.1:${redis().port}/0` } } });
  });

  it('publishes one client per alias, each under the alias name and with its own settings', async () => {
    const app = await start({
      'redis/cache': { type: RedisComponent, port: redis().port, db: 1 },
      'redis/sessions': { type: RedisComponent, port: redis().port, db: 2, clientName: 'sessions' },
    });
    const cache = await app.context.getResource(RedisClient, 'cache');
    const sessions = await app.context.getResource(RedisClient, 'sessions');
    expect(cache).not.toBe(sessions);
    await cache.set('spec:where', 'cache');
    await sessions.set('spec:where', 'sessions');
    expect([await cache.get('spec:where'), await sessions.get('spec:where')]).toEqual(['cache', 'sessions']);
    expect(await sessions.clientGetName()).toBe('sessions');
    expect((await app.context.getResource(RedisConnection, 'sessions')).name).toBe('sessions');
    const report = await (await app.context.getResource(HealthRegistry)).run();
    expect(Object.keys(report.info).sort()).toEqual(['redis:cache', 'redis:sessions']);
  });

  it('fails to start with ASPHALT_REDIS_CONNECTION within connectTimeout when nothing listens', async () => {
    const server = await startRedisServer();
    await server.stop();
    const error = await rejectionOf(start({ redis: { type: RedisComponent, port: server.port, connectTimeout: 300 } }));
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.redis' });
    expect(error.cause).toMatchObject({ code: 'ASPHALT_REDIS_CONNECTION' });
    expect((error.cause as Error).message).toMatch(new RegExp(`cannot connect to redis://127.0.0.1:${server.port}/0: no answer to PING within connectTimeout \\(300 ms\\); last error: .*ECONNREFUSED`));
  });

  it('authenticates with a password from the environment (!Env) and refuses a wrong one at start', async () => {
    const secured = await startRedisServer(['--requirepass', 's3cret']);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'asphalt-redis-'));
      const file = join(dir, 'config.yaml');
      writeFileSync(file, `component:\n  type: container\n  components:\n    redis:\n      type: redis\n      port: ${secured.port}\n      password: !Env SPEC_REDIS_PASSWORD\n`);
      const loaded = loadConfig({ files: [file], env: { SPEC_REDIS_PASSWORD: 's3cret' } });
      const components = (loaded.component as { components: { redis: Record<string, unknown> } }).components;
      expect(components.redis.password).toBe('s3cret');
      const app = await start({ redis: { ...components.redis, type: RedisComponent } });
      expect(await (await app.context.getResource(RedisClient)).ping()).toBe('PONG');
      const wrong = await rejectionOf(start({ 'redis/wrong': { type: RedisComponent, port: secured.port, password: 'guess' } }));
      expect(wrong.cause).toMatchObject({ code: 'ASPHALT_REDIS_CONNECTION', message: expect.stringMatching(/WRONGPASS|invalid password/) });
    } finally {
      await secured.stop();
    }
  });

  it('connects over TLS, trusting the server through tls.ca, and refuses a server it cannot verify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asphalt-redis-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const plain = await startRedisServer();
    await plain.stop();
    const tlsPort = plain.port;
    const secured = await startRedisServer(['--tls-port', String(tlsPort), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-auth-clients', 'no']);
    try {
      const ca = readFileSync(cert, 'utf8');
      const app = await start({ redis: { type: RedisComponent, host: 'localhost', port: tlsPort, tls: { ca } } });
      expect(await (await app.context.getResource(RedisClient)).ping()).toBe('PONG');
      const untrusted = await rejectionOf(start({ 'redis/untrusted': { type: RedisComponent, host: 'localhost', port: tlsPort, tls: {}, connectTimeout: 2_000 } }));
      expect(untrusted.cause).toMatchObject({ code: 'ASPHALT_REDIS_CONNECTION', message: expect.stringMatching(/certificate/) });
    } finally {
      await secured.stop();
    }
  });

  it('keeps serving across a kill and restart of the server: commands fail clearly while it is down, resume after, none hangs', async () => {
    const server = await startRedisServer();
    try {
      const app = await start({ redis: { type: RedisComponent, port: server.port, reconnect: { initialDelay: 20, maxDelay: 200 } } });
      const client = await app.context.getResource(RedisClient);
      const connection = await app.context.getResource(RedisConnection);
      const health = await app.context.getResource(HealthRegistry);
      const events: RedisConnectionEvent['type'][] = [];
      connection.events.connect((event) => events.push(event.type));

      let pending = 0;
      const failures: string[] = [];
      let okAfterRestart = 0;
      let restarted = false;
      let running = true;
      const traffic = (async () => {
        for (let i = 0; running; i++) {
          pending++;
          try {
            await client.set(`spec:k${i % 10}`, String(i));
            if (restarted) okAfterRestart++;
          } catch (error) {
            failures.push((error as Error).name + ': ' + (error as Error).message);
            await new Promise((resolve) => setTimeout(resolve, 5));
          } finally {
            pending--;
          }
        }
      })();

      await new Promise((resolve) => setTimeout(resolve, 100));
      // Each wait is registered before the action that causes its event: a reconnect that is quick
      // (or a slow spec on a loaded machine) would otherwise dispatch it before waitFor() listens.
      const failed = connection.events.waitFor((e) => e.type === 'error', { timeout: 30_000 });
      await server.kill();
      await failed;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(connection.ready).toBe(false);
      expect(await rejectionOf(client.get('spec:k1'))).toMatchObject({ message: expect.stringMatching(/offline|closed/i) });
      expect((await health.run()).error['redis:default']).toMatchObject({ status: 'down', message: expect.stringContaining('not connected') });

      const ready = connection.events.waitFor((e) => e.type === 'ready', { timeout: 30_000 });
      await server.restart();
      restarted = true;
      await ready;
      await new Promise((resolve) => setTimeout(resolve, 100));
      running = false;
      await traffic;

      expect(pending).toBe(0);
      expect(okAfterRestart).toBeGreaterThan(0);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.filter((f) => !/offline|closed|ECONNREFUSED|ECONNRESET|Socket/i.test(f))).toEqual([]);
      expect(events).toEqual(expect.arrayContaining(['error', 'reconnecting', 'ready']));
      expect(await client.get('spec:k1')).not.toBeUndefined();
      expect((await health.run()).status).toBe('ok');
    } finally {
      await server.stop();
    }
  });

  it('quits at stop and removes its health check', async () => {
    const app = await start({ redis: { type: RedisComponent, port: redis().port } });
    const client = await app.context.getResource(RedisClient);
    const health = await app.context.getResource(HealthRegistry);
    const connection = await app.context.getResource(RedisConnection);
    const events: string[] = [];
    connection.events.connect((event) => events.push(event.type));
    expect(health.names).toContain('redis:default');
    await app.stop();
    expect(client.isOpen).toBe(false);
    expect(events).toContain('end');
    expect(health.names).not.toContain('redis:default');
  });
});
