import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { bootstrap, Component, ContainerComponent, requires, type Application, type Logger } from 'asphalt-ts';
import { HealthComponent } from 'asphalt-ts/health';
import { HttpAddress, HttpApp, HttpComponent } from 'asphalt-ts/http';

/** One line the captured logger received. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** A logger that keeps every line. */
export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (objOrMessage: object | string, message?: string): void =>
      void lines.push(typeof objOrMessage === 'string' ? { level, fields: {}, message: objOrMessage } : { level, fields: objOrMessage as Record<string, unknown>, message: message ?? '' });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

type ComponentClass = new (...args: never[]) => Component;

/** A component that registers routes on the HTTP component's fastify instance in its start(). */
export function routes(register: (app: FastifyInstance) => void): ComponentClass {
  class Routes extends Component {
    @requires(HttpApp) app!: FastifyInstance;
    override async start(): Promise<void> {
      register(this.app);
    }
  }
  return Routes;
}

/** A running test application with an HTTP component (as `root.http`), and where it listens. */
export interface RunningHttp {
  app: Application;
  url: string;
  port: number;
  logger: ReturnType<typeof captureLogger>;
}

const running: Application[] = [];

/** Options of {@link startHttp}. */
export interface StartHttpOptions {
  /** Config of the http component (merged over `port: 0`). */
  http?: Record<string, unknown>;
  /** The health component at the root (default) with this config, or none (`false`). */
  health?: Record<string, unknown> | false;
  /** More children of the http component besides `routes`. */
  children?: Record<string, Record<string, unknown>>;
  /** More children of the root besides `http`. */
  siblings?: Record<string, Record<string, unknown>>;
}

/** Starts `health` (root) > `http` > `routes`; stopped after the file (or by the test). */
export async function startHttp(routesType: ComponentClass, options: StartHttpOptions = {}): Promise<RunningHttp> {
  const logger = captureLogger();
  const root = options.health === false ? ContainerComponent : HealthComponent;
  const config = {
    ...(options.health || {}),
    components: {
      ...options.siblings,
      http: { type: HttpComponent, port: 0, ...options.http, components: { routes: { type: routesType }, ...options.children } },
    },
  };
  const app = await bootstrap(root, config, { logger });
  running.push(app);
  const address = await app.context.getResource(HttpAddress);
  return { app, url: address.url, port: address.port, logger };
}

/** Stops every app {@link startHttp} started (call in afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled(running.splice(0).map((app) => app.stop()));
}

/** A response read in full. */
export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/** One request with node:http (pass a keep-alive agent to reuse sockets). */
export function send(url: string, options: { method?: string; agent?: Agent; body?: unknown; path?: string } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      `${url}${options.path ?? ''}`,
      { method: options.method ?? 'GET', agent: options.agent, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, socket: res.socket }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw TCP client: what it received so far, and whether the server closed it. */
export interface RawClient {
  socket: Socket;
  received: () => string;
  /** Resolves when the server ends or resets the connection. */
  closed: Promise<void>;
  write(text: string): void;
}

/** Connects a raw socket (for pipelining and for watching bytes arrive). */
export async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed, write: (text) => void socket.write(text) };
}

/** A GET request as raw bytes. */
export const rawGet = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

/** Resolves when `condition()` holds (checked every 5 ms), or throws after `ms`: a bound against
 * a hang, not a margin (15 s by default, which holds with 8 CPU hogs on 2 cores). */
export async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise with its resolve function. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
