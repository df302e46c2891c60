import { Context } from '../context/context';
import { ComponentContext } from './component-context';
import type { Logger, LogMethod } from './logger';

/**
 * The logger that code running in `ctx` gets for the `Logger` key: within a component (its
 * context, or a context under it) a child of `base` tagged `{ component: path }`, made once per
 * component; elsewhere `base` itself. Internal: what bootstrap's `Logger` factory builds.
 */
export function loggerFor(base: Logger, ctx: Context | undefined): Logger {
  for (let at = ctx; at !== undefined; at = at.parent) {
    const owner = ComponentContext.of(at);
    if (owner !== undefined) return (owner.logger ??= childLogger(base, { component: owner.path }));
  }
  return base;
}

/** `base.child(bindings)`, or, for a logger without `child`, a wrapper that adds the fields. */
export function childLogger(base: Logger, bindings: Record<string, unknown>): Logger {
  if (typeof base.child === 'function') return base.child(bindings);
  const bind =
    (method: LogMethod): LogMethod =>
    (objOrMessage, message) =>
      typeof objOrMessage === 'string' ? method({ ...bindings }, objOrMessage) : method({ ...bindings, ...objOrMessage }, message);
  return {
    debug: bind(base.debug.bind(base)),
    info: bind(base.info.bind(base)),
    warn: bind(base.warn.bind(base)),
    error: bind(base.error.bind(base)),
    isLevelEnabled: base.isLevelEnabled?.bind(base),
    child: (more) => childLogger(base, { ...bindings, ...more }),
  };
}

/** The factory bootstrap registers under `Logger`: it runs in the asking context. */
export function componentLoggerFactory(base: Logger): () => Logger {
  return () => loggerFor(base, Context.tryCurrent());
}
