import { Component } from 'asphalt-ts';
import { HealthRegistry } from 'asphalt-ts/health';
import { freePort } from '../bridge/nats-server';
import { deferred, routes, send, startHttp, stopAll, until } from './http-app';

afterEach(stopAll);

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;

describe('the health probes', () => {
  it('report ready with the contributed checks, terminus-shaped, and 503 when a check is down', async () => {
    const running = await startHttp(routes(() => undefined));
    const health = await running.app.context.getResource(HealthRegistry);
    const ready = await send(running.url, { path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(json(ready.body)).toMatchObject({ status: 'ok', info: { lifecycle: { status: 'up' }, 'http:root.http': { status: 'up' } }, error: {} });
    health.add('db', () => Promise.reject(new Error('connection refused')));
    const down = await send(running.url, { path: '/readyz' });
    expect(down.status).toBe(503);
    expect(json(down.body)).toMatchObject({ status: 'error', error: { db: { status: 'down', message: 'connection refused' } }, details: { db: { status: 'down' } } });
  });

  it('say not ready until the whole tree has started, and started only then', async () => {
    const port = await freePort();
    const gate = deferred();
    class SlowSibling extends Component {
      override async start(): Promise<void> {
        await gate.promise;
      }
    }
    const url = `http://127.0.0.1:${port}`;
    const starting = startHttp(routes(() => undefined), { http: { port }, siblings: { slow: { type: SlowSibling } } });
    let early: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 400 && early === undefined; i++) {
      early = await send(url, { path: '/readyz' }).catch(() => undefined);
      if (early === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(early?.status).toBe(503);
    expect(json(early!.body)).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down', state: 'starting' } } });
    expect((await send(url, { path: '/startupz' })).status).toBe(503);
    gate.resolve();
    await starting;
    expect((await send(url, { path: '/readyz' })).status).toBe(200);
    expect(json((await send(url, { path: '/startupz' })).body)).toMatchObject({ status: 'ok' });
  });

  it('say shutting_down from the first instant of stop while requests are still served during shutdownDelay', async () => {
    const running = await startHttp(routes((app) => app.get('/work', async () => ({ ok: true }))), { http: { shutdownDelay: 300 } });
    const health = await running.app.context.getResource(HealthRegistry);
    expect((await send(running.url, { path: '/readyz' })).status).toBe(200);
    const stopped = running.app.stop();
    await until(() => health.state === 'stopping', 'the stop began');
    const during = await send(running.url, { path: '/readyz' });
    expect(during.status).toBe(503);
    expect(json(during.body)).toMatchObject({ status: 'shutting_down', error: { lifecycle: { state: 'stopping' } } });
    expect((await send(running.url, { path: '/work' })).status).toBe(200);
    expect((await send(running.url, { path: '/livez' })).status).toBe(200);
    await stopped;
  });

  it('fail /livez after the event loop was blocked past the threshold', async () => {
    const running = await startHttp(
      routes((app) =>
        app.get('/block', async () => {
          // 4x the threshold, which is 10x what a machine loaded with 8 CPU hogs was seen to stall for
          // on its own (over 100 ms), so that /livez is still 200 before the deliberate block.
          const until = Date.now() + 4_000;
          while (Date.now() < until) {
            // a synchronous stretch that blocks the event loop
          }
          return { blocked: true };
        }),
      ),
      { health: { loopBlockedThreshold: 1_000 } },
    );
    // No "200 before" check: on a machine loaded with CPU hogs, loading modules at startup can itself
    // block past the threshold. What must hold is that the deliberate block is the one reported.
    const blockedMs = (body: string): number => (json(body).error as { eventLoop?: { blockedMs?: number } } | undefined)?.eventLoop?.blockedMs ?? 0;
    await send(running.url, { path: '/block' });
    let livez = await send(running.url, { path: '/livez' });
    for (let i = 0; i < 500 && blockedMs(livez.body) < 3_900; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      livez = await send(running.url, { path: '/livez' });
    }
    expect(livez.status).toBe(503);
    expect(json(livez.body)).toMatchObject({ status: 'error', error: { eventLoop: { status: 'down' } } });
    expect(blockedMs(livez.body)).toBeGreaterThanOrEqual(3_900);
    expect((json(livez.body).error as { eventLoop: { message: string } }).eventLoop.message).toMatch(/^the event loop was blocked for \d+ ms \(threshold 1000 ms\)/);
  });

  it('are served on a separate admin port when health.port is set', async () => {
    const running = await startHttp(routes(() => undefined), { http: { health: { port: 0 } } });
    expect((await send(running.url, { path: '/readyz' })).status).toBe(404);
    const listening = running.logger.lines.find((l) => l.message.startsWith('root.http listening on'));
    const admin = listening?.fields.admin as string;
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(admin, { path: '/readyz' })).status).toBe(200);
    expect((await send(admin, { path: '/livez' })).status).toBe(200);
  });
});
