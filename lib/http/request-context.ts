import type { FastifyReply, FastifyRequest } from 'fastify';
import { Context, ContextStateError, type Logger } from '../index';

/**
 * The context of one request: a child of the HTTP component's request scope, current in the
 * hooks and the handler, closed before the response is written. Internal: users reach the request
 * through the `HttpRequest`, `HttpReply` and `RequestLogger` resources.
 */
export class RequestContext extends Context {
  /** The error the handler ended with (from fastify's onError), if any. */
  error: unknown = undefined;

  constructor(
    parent: Context,
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
  ) {
    super(parent);
  }

  /** The request context `ctx` belongs to (itself or the nearest ancestor), or undefined. */
  static of(ctx: Context | undefined): RequestContext | undefined {
    for (let at = ctx; at !== undefined; at = at.parent) if (at instanceof RequestContext) return at;
    return undefined;
  }
}

/** The request context of the running code; throws outside one (names the resource asked for). */
export function currentRequestContext(what: string): RequestContext {
  const found = RequestContext.of(Context.tryCurrent());
  if (found === undefined) throw new ContextStateError(`${what} is only available in the context of an HTTP request (or a child of it)`);
  return found;
}

/** A logger that adds the request's fields to every line (pino's `child` when the logger has one). */
export function requestLogger(base: Logger, fields: Record<string, unknown>): Logger {
  const withChild = base as Logger & { child?: (bindings: Record<string, unknown>) => Logger };
  if (typeof withChild.child === 'function') return withChild.child(fields);
  const wrap =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (objOrMessage: object | string, message?: string): void =>
      typeof objOrMessage === 'string' ? base[method](fields, objOrMessage) : base[method]({ ...fields, ...objOrMessage }, message);
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error'), isLevelEnabled: base.isLevelEnabled?.bind(base) };
}

/**
 * The request being handled, from any code running in its context (no lookup, no allocation).
 * @throws ContextStateError outside the context of a request
 */
export function currentRequest(): FastifyRequest {
  return currentRequestContext('currentRequest()').request;
}

/** The reply of the request being handled (see {@link currentRequest}). */
export function currentReply(): FastifyReply {
  return currentRequestContext('currentReply()').reply;
}
