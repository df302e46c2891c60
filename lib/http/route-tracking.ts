import type { FastifyInstance, RouteOptions } from 'fastify';
import { Context, describeContext } from '../index';
import { HttpRouteError } from './http-errors';
import type { HttpRoutes } from './route-table';

const routeMethods = ['route', 'get', 'head', 'post', 'put', 'delete', 'options', 'patch', 'all', 'register'] as const;

/** The component whose code is running (its context's label), else `owner`. */
function currentComponent(owner: string): string {
  const label = describeContext(Context.tryCurrent());
  return label === undefined ? owner : label.split(' > ')[0]!;
}

/**
 * Records which component registers each route (the component whose `start()` or plugin is
 * running), refuses a duplicate naming both components, and binds plugins registered by a
 * component to its context so the routes they add are recorded under it. Internal.
 */
export function trackRoutes(app: FastifyInstance, routes: HttpRoutes, owner: string): void {
  app.addHook('onRoute', (options: RouteOptions) => {
    const component = currentComponent(owner);
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    const constraints = options.constraints ? ` ${JSON.stringify(options.constraints)}` : '';
    for (const method of methods) {
      const key = `${method} ${options.url}${constraints}`;
      // fastify adds a HEAD route for every GET: it is implied, not listed.
      if (method === 'HEAD' && routes.find(`GET ${options.url}${constraints}`) !== undefined) continue;
      const existing = routes.find(key);
      if (existing !== undefined) {
        throw new HttpRouteError(
          `component ${component} registered ${method} ${options.url}, which component ${existing.component} already registered on the HTTP server ${owner}; ` +
            'give one of them another path (or method), or register the route once',
        );
      }
      routes.add(key, { method, url: options.url, component });
    }
  });

  const register = app.register;
  const bound = function (this: FastifyInstance, plugin: unknown, options?: unknown) {
    const ctx = Context.tryCurrent();
    if (ctx === undefined || typeof plugin !== 'function') return (register as (...args: unknown[]) => unknown).call(this, plugin, options);
    const fn = plugin as (...args: unknown[]) => unknown;
    const inContext = function (this: unknown, ...args: unknown[]): unknown {
      return ctx.run(() => fn.apply(this, args));
    };
    for (const key of Reflect.ownKeys(fn)) {
      if (typeof key === 'symbol') (inContext as unknown as Record<PropertyKey, unknown>)[key] = (fn as unknown as Record<PropertyKey, unknown>)[key];
    }
    Object.defineProperty(inContext, 'name', { value: fn.name });
    return (register as (...args: unknown[]) => unknown).call(this, inContext, options);
  };
  (app as unknown as Record<string, unknown>).register = bound;
}

/** After listen: adding a route or plugin throws an error that names the component that tried. */
export function refuseRoutesAfterListen(app: FastifyInstance, owner: string, address: string): void {
  for (const method of routeMethods) {
    (app as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const what = method === 'register' ? 'a plugin' : `${method === 'route' ? String((args[0] as { method?: unknown })?.method ?? '') : method.toUpperCase()} ${String(typeof args[0] === 'string' ? args[0] : ((args[0] as { url?: unknown })?.url ?? ''))}`.trim();
      throw new HttpRouteError(
        `component ${currentComponent(owner)} tried to add ${what} to the HTTP server ${owner} after it began listening on ${address}; ` +
          'register routes and plugins in the start() of a child component of the HTTP component (they run before it listens)',
      );
    };
  }
}
