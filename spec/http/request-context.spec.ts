import { Readable } from 'node:stream';
import { Component, ComponentStartError, Context, requires } from 'asphalt-ts';
import type { FastifyInstance } from 'fastify';
import { currentReply, currentRequest, HttpAddress, HttpApp, HttpReply, HttpRequest, HttpRequestAbortedError, HttpRouteError, HttpRoutes, HttpTeardownError, RequestLogger } from 'asphalt-ts/http';
import { rawClient, rawGet, routes, send, startHttp, stopAll, until, type RawClient } from './http-app';

afterEach(stopAll);

/** Records, at teardown, the error the context got and what the client had received by then. */
function recordTeardown(seen: { error: unknown; received: string }[], client: () => RawClient | undefined): void {
  Context.current().addTeardownCallback(async (error) => {
    // Anything written before this point would reach the loopback client within this pause.
    await new Promise((resolve) => setTimeout(resolve, 30));
    seen.push({ error, received: client()?.received() ?? '' });
  });
}

describe('the context of a request', () => {
  it('is current in the handler and closes with undefined before the client has received a byte', async () => {
    const seen: { error: unknown; received: string }[] = [];
    const at: { client?: RawClient } = {};
    const { port } = await startHttp(
      routes((app) =>
        app.get('/work', async () => {
          recordTeardown(seen, () => at.client);
          return { done: true };
        }),
      ),
    );
    const client = (at.client = await rawClient(port));
    client.write(rawGet('/work'));
    await until(() => client.received().includes('{"done":true}'), 'the response arrived');
    expect(seen).toEqual([{ error: undefined, received: '' }]);
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it("closes with the handler's error (a rollback) and answers a JSON 500 without the message or stack", async () => {
    const seen: { error: unknown; received: string }[] = [];
    const boom = new Error('the database said no');
    const { url, logger } = await startHttp(
      routes((app) =>
        app.get('/fail', async () => {
          recordTeardown(seen, () => undefined);
          throw boom;
        }),
      ),
    );
    const response = await send(url, { path: '/fail' });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
    expect(seen).toEqual([{ error: boom, received: '' }]);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'root.http: GET /fail failed: the database said no' }));
  });

  it('takes the status from the error, and shows 5xx messages and stacks only when exposeErrors is set', async () => {
    const { url } = await startHttp(
      routes((app) => {
        app.get('/conflict', async () => Promise.reject(Object.assign(new Error('note 3 changed meanwhile'), { statusCode: 409, code: 'NOTE_CHANGED' })));
        app.get('/crash', async () => Promise.reject(new Error('null pointer')));
      }),
      { http: { exposeErrors: true } },
    );
    const conflict = await send(url, { path: '/conflict' });
    expect(conflict.status).toBe(409);
    expect(JSON.parse(conflict.body)).toMatchObject({ statusCode: 409, error: 'Conflict', message: 'note 3 changed meanwhile', code: 'NOTE_CHANGED' });
    const crash = JSON.parse((await send(url, { path: '/crash' })).body) as { message: string; stack: string };
    expect(crash.message).toBe('null pointer');
    expect(crash.stack).toContain('Error: null pointer');
  });

  it('turns the response into a 500 when closing the context fails (a failed commit), and logs it', async () => {
    const { url, logger } = await startHttp(
      routes((app) =>
        app.get('/commit', async () => {
          Context.current().addTeardownCallback(() => {
            throw new Error('could not serialize access');
          });
          return { saved: true };
        }),
      ),
    );
    const response = await send(url, { path: '/commit' });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 500, code: HttpTeardownError.code });
    expect(response.body).not.toContain('saved');
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.message).toContain('root.http: closing the context of GET /commit failed (the response became a 500)');
    expect(line?.message).toContain('could not serialize access');
  });

  it('gives the request, the reply and a request logger as resources, also in a handler with a parsed body', async () => {
    let seen: { body: unknown; sameReply: boolean; current: boolean } | undefined;
    const { url, logger: appLogger } = await startHttp(
      routes((app) =>
        app.post('/echo', async (request, reply) => {
          const ctx = Context.current();
          const [req, rep, log] = await Promise.all([ctx.getResource(HttpRequest), ctx.getResource(HttpReply), ctx.getResource(RequestLogger)]);
          log.info({ extra: 1 }, 'handling');
          seen = { body: req.body, sameReply: rep.reply === reply && currentReply() === reply, current: req === request && currentRequest() === request };
          return req.body;
        }),
      ),
    );
    const response = await send(url, { method: 'POST', path: '/echo', body: { title: 'x' } });
    expect(response.status).toBe(200);
    expect(seen).toEqual({ body: { title: 'x' }, sameReply: true, current: true });
    expect(appLogger.lines).toContainEqual({ level: 'info', fields: { component: 'root.http', reqId: expect.any(String), method: 'POST', url: '/echo', extra: 1 }, message: 'handling' });
  });

  it('closes the context of a streamed response once the stream has ended', async () => {
    const events: string[] = [];
    const { url } = await startHttp(
      routes((app) =>
        app.get('/stream', async (_request, reply) => {
          Context.current().addTeardownCallback((error) => void events.push(`teardown ${String(error)}`));
          const stream = Readable.from(
            (async function* () {
              for (const part of ['a', 'b', 'c']) {
                await new Promise((resolve) => setTimeout(resolve, 10));
                yield part;
              }
              events.push('stream ended');
            })(),
          );
          return reply.type('text/plain').send(stream);
        }),
      ),
    );
    const response = await send(url, { path: '/stream' });
    expect(response.body).toBe('abc');
    await until(() => events.length === 2, 'the context closed');
    expect(events).toEqual(['stream ended', 'teardown undefined']);
  });

  it('closes the context of a streamed response with HttpRequestAbortedError when the client goes away mid-stream', async () => {
    const seen: unknown[] = [];
    const { port } = await startHttp(
      routes((app) =>
        app.get('/endless', async (_request, reply) => {
          Context.current().addTeardownCallback((error) => void seen.push(error));
          const stream = Readable.from(
            (async function* () {
              for (;;) {
                yield 'tick\n';
                await new Promise((resolve) => setTimeout(resolve, 10));
              }
            })(),
          );
          return reply.type('text/plain').send(stream);
        }),
      ),
    );
    const client = await rawClient(port);
    client.write(rawGet('/endless'));
    await until(() => client.received().includes('tick'), 'the stream began');
    client.socket.destroy();
    await until(() => seen.length === 1, 'the context closed');
    expect(seen[0]).toBeInstanceOf(HttpRequestAbortedError);
  });
});

describe('routes', () => {
  it('are recorded with the component that registered them, and logged when the server listens', async () => {
    const { app, logger } = await startHttp(routes((a) => a.get('/a', async () => 'a')), {
      children: { more: { type: routes((a) => a.post('/b', async () => 'b')) } },
    });
    const table = await app.context.getResource(HttpRoutes);
    expect(table.byComponent().get('root.http.routes')).toEqual([{ method: 'GET', url: '/a', component: 'root.http.routes' }]);
    expect(table.byComponent().get('root.http.more')).toEqual([{ method: 'POST', url: '/b', component: 'root.http.more' }]);
    const listening = logger.lines.find((l) => l.message.startsWith('root.http listening on'));
    expect(listening?.message).toContain('root.http.routes: GET /a');
    expect(listening?.message).toContain('root.http.more: POST /b');
  });

  it('registered by a plugin that a component registers are recorded under that component', async () => {
    const { app } = await startHttp(
      routes((a) => {
        void a.register(async (scoped) => {
          scoped.get('/in-plugin', async () => 'p');
        });
      }),
    );
    const table = await app.context.getResource(HttpRoutes);
    expect(table.routes).toContainEqual({ method: 'GET', url: '/in-plugin', component: 'root.http.routes' });
  });

  it('come from fastify plugins named in the config, loaded by module name with their options', async () => {
    const { url } = await startHttp(routes(() => undefined), {
      http: { plugins: [{ module: './spec/http/fixtures/hello-plugin.js', options: { greeting: 'hi' } }] },
    });
    expect(JSON.parse((await send(url, { path: '/hello' })).body)).toEqual({ greeting: 'hi' });
  });

  it('registered twice fail the start with an error that names both components', async () => {
    const failure = await startHttp(routes((a) => a.get('/same', async () => 1)), {
      children: { other: { type: routes((a) => a.get('/same', async () => 2)) } },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ComponentStartError);
    const cause = (failure as ComponentStartError).cause;
    expect(cause).toBeInstanceOf(HttpRouteError);
    expect((cause as Error).message).toMatch(/component root\.http\.(routes|other) registered GET \/same, which component root\.http\.(other|routes) already registered/);
  });

  it('added after the server listens are refused with an error that names the component', async () => {
    let refusal: unknown;
    class Late extends Component {
      @requires(HttpApp) app!: FastifyInstance;
      @requires(HttpAddress) address!: unknown;
      override async start(): Promise<void> {
        try {
          this.app.get('/late', async () => 'late');
        } catch (error) {
          refusal = error;
        }
      }
    }
    await startHttp(routes(() => undefined), { siblings: { late: { type: Late } } });
    expect(refusal).toBeInstanceOf(HttpRouteError);
    expect((refusal as Error).message).toContain('component root.late tried to add GET /late to the HTTP server root.http after it began listening');
  });
});
