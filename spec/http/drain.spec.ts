import { Context } from 'asphalt-ts';
import type { FastifyInstance } from 'fastify';
import { HttpApp, HttpDrainTimeoutError } from 'asphalt-ts/http';
import { deferred, rawClient, rawGet, routes, send, startHttp, stopAll, until, type RunningHttp } from './http-app';

afterEach(stopAll);

/** `/fast` answers at once; `/slow` waits for `gate` (and counts its arrivals in `began`). */
function slowAndFast(gate: Promise<void>, began: { count: number }, seen?: unknown[]) {
  return routes((app) => {
    app.get('/fast', async () => ({ fast: true }));
    app.get('/slow', async () => {
      began.count++;
      if (seen) Context.current().addTeardownCallback((error) => void seen.push(error));
      await gate;
      return { slow: true };
    });
  });
}

async function fastifyOf(running: RunningHttp): Promise<FastifyInstance> {
  return running.app.context.getResource(HttpApp);
}

describe('the drain at stop', () => {
  it('closes idle keep-alive sockets at once and a busy one when its response, marked Connection: close, has been sent', async () => {
    const gate = deferred();
    const began = { count: 0 };
    const seen: unknown[] = [];
    const running = await startHttp(slowAndFast(gate.promise, began, seen));
    const idle = await rawClient(running.port);
    idle.write(rawGet('/fast'));
    await until(() => idle.received().includes('{"fast":true}'), 'the idle socket had its answer');
    expect(idle.received()).toMatch(/connection: keep-alive/i);
    const busy = await rawClient(running.port);
    busy.write(rawGet('/slow'));
    await until(() => began.count === 1, 'the slow request began');

    const order: string[] = [];
    void idle.closed.then(() => order.push('idle closed'));
    void busy.closed.then(() => order.push('busy closed'));
    const stopped = running.app.stop().then(() => order.push('stopped'));
    await idle.closed;
    expect(busy.received()).toBe('');
    gate.resolve();
    await stopped;
    await busy.closed;
    expect(order[0]).toBe('idle closed');
    expect(order).toHaveLength(3);
    expect(busy.received()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(busy.received()).toMatch(/connection: close/i);
    expect(busy.received()).toContain('{"slow":true}');
    // The request that finished during the drain closed its context as a success (a commit).
    expect(seen).toEqual([undefined]);
    expect(running.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'info', fields: expect.objectContaining({ drained: 1, cut: 0, refused: 0 }) }),
    );
  });

  it('answers a pipelined request that arrives while draining with 503 and Retry-After, after the one in flight', async () => {
    const gate = deferred();
    const began = { count: 0 };
    const running = await startHttp(slowAndFast(gate.promise, began), { http: { retryAfter: 7 } });
    const app = await fastifyOf(running);
    const client = await rawClient(running.port);
    client.write(rawGet('/slow'));
    await until(() => began.count === 1, 'the slow request began');
    const stopped = running.app.stop();
    await until(() => !app.server.listening, 'the server stopped accepting');
    let arrived = 0;
    app.server.prependListener('request', () => arrived++);
    client.write(rawGet('/fast'));
    await until(() => arrived === 1, 'the pipelined request was read');
    expect(client.received()).toBe('');
    // The 503 waits behind the slow response (HTTP/1.1 answers in order).
    gate.resolve();
    await client.closed;
    await stopped;
    const [first, second] = client.received().split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(first).not.toMatch(/connection: close/i);
    expect(second).toMatch(/^HTTP\/1\.1 503 Service Unavailable/);
    expect(second).toMatch(/retry-after: 7/i);
    expect(second).toMatch(/connection: close/i);
    expect(running.logger.lines).toContainEqual(expect.objectContaining({ fields: expect.objectContaining({ drained: 1, cut: 0, refused: 1 }) }));
  });

  it('answers two pipelined requests in order on one socket', async () => {
    const running = await startHttp(
      routes((app) => {
        app.get('/one', async () => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          return { n: 1 };
        });
        app.get('/two', async () => ({ n: 2 }));
      }),
    );
    const client = await rawClient(running.port);
    client.write(rawGet('/one') + rawGet('/two'));
    await until(() => client.received().includes('{"n":2}'), 'both answers arrived');
    const bodies = client.received().match(/\{"n":\d\}/g);
    expect(bodies).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('at the drain timeout cuts what is still running and closes its contexts with an error (a rollback)', async () => {
    const never = deferred();
    const began = { count: 0 };
    const seen: unknown[] = [];
    const running = await startHttp(slowAndFast(never.promise, began, seen), { http: { drainTimeout: 200 } });
    const client = await rawClient(running.port);
    client.write(rawGet('/slow'));
    await until(() => began.count === 1, 'the slow request began');
    await running.app.stop();
    await client.closed;
    expect(client.received()).toBe('');
    expect(seen).toHaveLength(1);
    // The core closes a child whose parent closes first with ContextAbortedError; the cause says why.
    expect(seen[0]).toMatchObject({ code: 'ASPHALT_CONTEXT_ABORTED', cause: expect.any(HttpDrainTimeoutError) });
    expect(running.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ drained: 0, cut: 1 }) }),
    );
    never.resolve();
  });

  it('with a keep-alive agent: every request that began before the stop gets its answer and stop does not wait for keepAliveTimeout', async () => {
    const gate = deferred();
    const began = { count: 0 };
    const running = await startHttp(slowAndFast(gate.promise, began), { http: { keepAliveTimeout: 600_000 } });
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 10 });
    try {
      await Promise.all(Array.from({ length: 5 }, () => send(running.url, { path: '/fast', agent })));
      const answers = Promise.all(Array.from({ length: 5 }, () => send(running.url, { path: '/slow', agent })));
      await until(() => began.count === 5, 'the slow requests began');
      const stopped = running.app.stop();
      const app = await fastifyOf(running);
      await until(() => !app.server.listening, 'the server stopped accepting');
      gate.resolve();
      const responses = await answers;
      await stopped;
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(responses.every((r) => r.headers.connection === 'close')).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
