import type { FastifyInstance } from 'fastify';

/** Methods whose result a user awaits to wait for plugins to load: called on, and returning, the real instance. */
const loaders = new Set<PropertyKey>(['register', 'after', 'ready']);

/**
 * The fastify instance as published: the same instance seen through a proxy that is not a
 * thenable. fastify's instance has a `then` (awaiting it loads the plugins), and a lookup
 * (`getResource`, `@requires` injection) awaits what it finds, which would boot fastify before the
 * children have registered their routes. `await app.register(plugin)` still waits for the plugin.
 * Internal.
 */
export function unthenable(app: FastifyInstance): FastifyInstance {
  const bound = new Map<PropertyKey, unknown>();
  const proxy: FastifyInstance = new Proxy(app, {
    get(target, property, receiver) {
      if (receiver !== proxy) return Reflect.get(target, property, receiver);
      if (property === 'then') return undefined;
      const value = Reflect.get(target, property, target) as unknown;
      if (!loaders.has(property) || typeof value !== 'function') return value;
      let fn = bound.get(property);
      if (fn === undefined || (fn as { original?: unknown }).original !== value) {
        fn = Object.assign((...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args), { original: value });
        bound.set(property, fn);
      }
      return fn;
    },
  });
  return proxy;
}
