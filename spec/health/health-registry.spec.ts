import { HealthRegistry } from 'asphalt-ts/health';

describe('HealthRegistry', () => {
  it('reports readiness from the lifecycle first: starting, then the checks once ready, then shutting_down', async () => {
    const health = new HealthRegistry();
    health.add('db', () => ({ pool: 3 }));
    expect(await health.readiness()).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down', state: 'starting' } } });
    expect(health.startup().status).toBe('error');
    health.markReady();
    expect(await health.readiness()).toEqual({
      status: 'ok',
      info: { lifecycle: { status: 'up', state: 'ready' }, db: { status: 'up', pool: 3 } },
      error: {},
      details: { lifecycle: { status: 'up', state: 'ready' }, db: { status: 'up', pool: 3 } },
    });
    health.markStopping();
    health.markReady();
    expect(await health.readiness()).toMatchObject({ status: 'shutting_down', error: { lifecycle: { state: 'stopping' } } });
    expect(health.startup().status).toBe('ok');
  });

  it('counts a check that outlives its timeout as down, and reuses a result for cacheFor', async () => {
    const health = new HealthRegistry();
    let runs = 0;
    health.add('slow', (signal) => new Promise((resolve) => signal.addEventListener('abort', resolve)), { timeout: 20 });
    health.add('cached', () => ({ runs: ++runs }), { cacheFor: 60_000 });
    const first = await health.run();
    expect(first.error.slow).toEqual({ status: 'down', message: "health check 'slow' took longer than its timeout of 20 ms" });
    expect((await health.run()).info.cached).toEqual({ status: 'up', runs: 1 });
  });

  it('fails liveness for livenessWindow after a reported loop block', () => {
    const health = new HealthRegistry();
    expect(health.liveness().status).toBe('ok');
    health.reportLoopBlocked({ ms: 250, threshold: 100, component: 'root.api' });
    expect(health.liveness()).toMatchObject({ status: 'error', error: { eventLoop: { status: 'down', blockedMs: 250, message: 'the event loop was blocked for 250 ms (threshold 100 ms) in root.api' } } });
    health.livenessWindow = 0;
    expect(health.liveness().status).toBe('ok');
  });
});
