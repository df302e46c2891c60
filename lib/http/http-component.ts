import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { Component, type Context, describeContext, Logger, provides, requirePeer, requires } from '../index';
import { HealthRegistry } from '../health/index';
import { Drain } from './drain';
import { errorHandler } from './error-response';
import { serveHealth } from './health-routes';
import { HttpConfig } from './http-config';
import { HttpDrainTimeoutError, HttpListenError, HttpPluginError } from './http-errors';
import { HttpAddress, HttpApp, HttpReply, HttpRequest, RequestLogger, type HttpAddressInfo } from './http-keys';
import { currentRequestContext, requestLogger } from './request-context';
import { installRequestHooks } from './request-hooks';
import { refuseRoutesAfterListen, trackRoutes } from './route-tracking';
import { HttpRoutes } from './route-table';
import { unthenable } from './unthenable';

/**
 * An HTTP server on fastify (YAML `type: http`). It publishes the fastify instance as `HttpApp` in
 * `prepare()`, so child components add routes and plugins in their `start()`; it listens in its own
 * `start()` and publishes `HttpAddress` and `HttpRoutes`. Each request runs in a child context
 * (`Context.current()` in the handler) that is closed before the response is written; at stop it
 * drains without losing a request.
 *
 * @example
 * class Notes extends Component {
 *   @requires(HttpApp) app!: FastifyInstance;
 *   async start() { this.app.get('/notes', async () => store.list()); }
 * }
 * class App extends Component {
 *   constructor() { super(); this.addComponent('http', HttpComponent, { port: 8080 }); }
 * }
 * // and Notes as a child of http: components: { http: { type: http, components: { notes: ... } } }
 */
@provides(HttpApp, { description: 'the fastify instance; add routes in start()' })
@provides(HttpAddress, { description: 'the address the server listens on', phase: 'start' })
@provides(HttpRoutes, { description: 'the routes, each with the component that registered it', phase: 'start' })
export class HttpComponent extends Component {
  @requires(Logger) logger!: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;
  #app: FastifyInstance | undefined;
  #admin: FastifyInstance | undefined;
  #scope: Context | undefined;
  #drain: Drain;
  readonly #routes = new HttpRoutes();
  #path = 'http';

  constructor(readonly config: HttpConfig) {
    super();
    this.#drain = new Drain(config.retryAfter);
  }

  override async prepare(ctx: Context): Promise<void> {
    const { default: fastify } = requirePeer<typeof import('fastify')>('fastify', 'asphalt-ts/http', '5');
    const config = this.config;
    this.#path = describeContext(ctx) ?? 'http';
    const app = fastify({
      logger: false,
      trustProxy: config.trustProxy,
      bodyLimit: config.bodyLimit,
      keepAliveTimeout: config.keepAliveTimeout,
      requestTimeout: config.requestTimeout,
      return503OnClosing: false,
      forceCloseConnections: false,
      ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
    }) as unknown as FastifyInstance;
    this.#app = app;
    const scope = ctx.child();
    this.#scope = scope;
    const logger = this.logger;
    scope.addResourceFactory(() => currentRequestContext('HttpRequest').request, { types: [HttpRequest], description: 'the current request' });
    scope.addResourceFactory(() => ({ reply: currentRequestContext('HttpReply').reply }), { types: [HttpReply], description: 'the current reply' });
    scope.addResourceFactory(
      () => {
        const { request } = currentRequestContext('RequestLogger');
        return requestLogger(logger, { reqId: request.id, method: request.method, url: request.url });
      },
      { types: [RequestLogger], description: 'the logger of the current request' },
    );
    installRequestHooks(app, scope, this.#drain, logger, this.#path);
    app.setErrorHandler(errorHandler(logger, this.#path, config.exposeErrors ?? process.env.NODE_ENV === 'development'));
    trackRoutes(app, this.#routes, this.#path);
    for (const plugin of config.plugins) app.register(loadPlugin(plugin.module, this.#path), plugin.options ?? {});
    ctx.addResource(unthenable(app), { types: [HttpApp] });
    // Prepare-phase teardown (after the children stopped): whatever request context is still open.
    ctx.addTeardownCallback((error) => scope.close(error));
  }

  override async start(ctx: Context): Promise<void> {
    const app = this.#app!;
    const { host, port, health } = this.config;
    if (this.health && health.enabled) {
      if (health.port === undefined) serveHealth(app, this.health, health);
      else {
        const { default: fastify } = requirePeer<typeof import('fastify')>('fastify', 'asphalt-ts/http', '5');
        this.#admin = fastify({ logger: false, forceCloseConnections: true }) as unknown as FastifyInstance;
        serveHealth(this.#admin, this.health, health);
      }
    }
    let address: HttpAddressInfo;
    try {
      await app.listen({ host, port });
      address = addressOf(app, host, this.config.tls !== undefined);
      if (this.#admin) await this.#admin.listen({ host: health.host ?? host, port: health.port });
    } catch (error) {
      await app.close().catch(() => undefined);
      await this.#admin?.close().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      throw new HttpListenError(`HTTP server ${this.#path} could not listen on ${host}:${port}: ${reason}; choose a free port (0 picks one) or another host`, { cause: error });
    }
    // An error of the listening server (rare after listen) is logged, never an unhandled crash.
    app.server.on('error', (error) => this.logger.error({ err: error, component: this.#path }, `${this.#path}: the HTTP server reported an error: ${error.message}`));
    refuseRoutesAfterListen(app, this.#path, address.url);
    ctx.addResource(address, { types: [HttpAddress] });
    ctx.addResource(this.#routes, { types: [HttpRoutes], description: `routes: ${this.#routes.describe() || 'none'}` });
    const adminUrl = this.#admin ? addressOf(this.#admin, health.host ?? host, false).url : undefined;
    this.logger.info(
      { component: this.#path, url: address.url, admin: adminUrl, routes: Object.fromEntries([...this.#routes.byComponent()].map(([c, r]) => [c, r.map((x) => `${x.method} ${x.url}`)])) },
      `${this.#path} listening on ${address.url}${adminUrl ? ` (probes on ${adminUrl})` : ''}; routes: ${this.#routes.describe() || 'none'}`,
    );
    const removeCheck = this.health?.add(`http:${this.#path}`, () => ({ url: address.url, inFlight: this.#drain.inFlight }));
    // Start-phase teardown: runs when the stop reaches this component, before its children stop.
    ctx.addTeardownCallback(async () => {
      removeCheck?.();
      await this.#stop(app);
    });
  }

  async #stop(app: FastifyInstance): Promise<void> {
    this.health?.markStopping();
    const { shutdownDelay, drainTimeout } = this.config;
    if (shutdownDelay > 0) await new Promise((resolve) => setTimeout(resolve, shutdownDelay));
    const report = await this.#drain.drain(app.server, () => app.close(), drainTimeout, async (cut) => {
      const error = new HttpDrainTimeoutError(
        `HTTP server ${this.#path}: ${cut} request(s) still running after the drain timeout of ${drainTimeout} ms were cut; their work is rolled back`,
      );
      await this.#scope!.close(error).catch((failure: unknown) => this.logger.error({ err: failure, component: this.#path }, `${this.#path}: closing the cut requests' contexts failed`));
    });
    await this.#admin?.close();
    const line = `${this.#path} stopped: ${report.drained} request(s) drained, ${report.cut} cut, ${report.refused} refused in ${report.ms.toFixed(0)} ms`;
    const fields = { component: this.#path, drained: report.drained, cut: report.cut, refused: report.refused, ms: Math.round(report.ms) };
    if (report.cut > 0) this.logger.warn(fields, `${line} (the drain timeout of ${drainTimeout} ms passed)`);
    else this.logger.info(fields, line);
  }
}

function addressOf(app: FastifyInstance, host: string, tls: boolean): HttpAddressInfo {
  const bound = app.server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { host: bound.address ?? host, port: bound.port, url: `${tls ? 'https' : 'http'}://${shown}:${bound.port}` };
}

/** Loads a fastify plugin by module name (`@fastify/cors`, `./plugins/auth:authPlugin`) from the working directory. */
function loadPlugin(spec: string, owner: string): FastifyPluginCallback {
  const [moduleName, exportName] = spec.includes(':') && !/^[A-Za-z]:[\\/]/.test(spec) ? [spec.slice(0, spec.lastIndexOf(':')), spec.slice(spec.lastIndexOf(':') + 1)] : [spec, undefined];
  let loaded: Record<string, unknown>;
  try {
    loaded = createRequire(join(process.cwd(), 'noop.js'))(moduleName!) as Record<string, unknown>;
  } catch (error) {
    throw new HttpPluginError(`HTTP server ${owner}: the plugin '${moduleName}' could not be loaded (${error instanceof Error ? error.message : String(error)}); install it or fix plugins[].module`, { cause: error });
  }
  const plugin = exportName ? loaded[exportName] : typeof loaded === 'function' ? loaded : loaded.default;
  if (typeof plugin !== 'function') {
    throw new HttpPluginError(`HTTP server ${owner}: '${spec}' is not a fastify plugin (no function ${exportName ? `exported as '${exportName}'` : 'as its default export'})`);
  }
  return plugin as FastifyPluginCallback;
}
