import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Context, type Logger } from '../index';
import type { Drain } from './drain';
import { HttpRequestAbortedError, HttpTeardownError } from './http-errors';
import { RequestContext } from './request-context';

/** Where a request's context lives on the fastify request (declared with decorateRequest). */
export const requestContext = Symbol('asphalt.http.context');
type WithContext = FastifyRequest & { [requestContext]: RequestContext | null };

function isStream(payload: unknown): payload is NodeJS.ReadableStream {
  return typeof payload === 'object' && payload !== null && typeof (payload as { pipe?: unknown }).pipe === 'function';
}

/**
 * Installs the per-request context on `app`: opened in onRequest (a child of `scope`), current in
 * the hooks and the handler, closed in onSend before a byte is written, with the handler's error
 * or `undefined`. A failed close turns the response into a 500. A streamed body closes it when the
 * response ends (or with an error when it is aborted). Internal to {@link HttpComponent}.
 */
export function installRequestHooks(app: FastifyInstance, scope: Context, drain: Drain, logger: Logger, component: string): void {
  app.decorateRequest(requestContext, null);

  app.addHook('onRequest', (request, reply, done) => {
    drain.arrived(request);
    if (drain.draining) return drain.refuse(reply);
    const ctx = new RequestContext(scope, request, reply);
    (request as WithContext)[requestContext] = ctx;
    drain.inFlight++;
    ctx.run(done);
  });

  // A body is parsed in the request stream's own async context: enter the request's again.
  app.addHook('preValidation', (request, _reply, done) => {
    const ctx = (request as WithContext)[requestContext];
    if (ctx === null || Context.tryCurrent() === ctx) done();
    else ctx.run(done);
  });

  app.addHook('onError', (request, _reply, error, done) => {
    const ctx = (request as WithContext)[requestContext];
    if (ctx !== null) ctx.error = error;
    done();
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    drain.answering(request, reply);
    const ctx = (request as WithContext)[requestContext];
    if (ctx === null || ctx.state !== 'open') return done(null, payload);
    if (isStream(payload)) {
      reply.raw.once('close', () => {
        const error = reply.raw.writableFinished ? ctx.error : (ctx.error ?? new HttpRequestAbortedError(`${request.method} ${request.url}: the client went away before the streamed response ended`));
        drain.ended();
        ctx.close(error).catch((failure: unknown) => logTeardownFailure(logger, component, request, failure, 'after the streamed response'));
      });
      return done(null, payload);
    }
    const closing = ctx.close(ctx.error);
    // Nothing to tear down (the common case): the close has already finished, synchronously.
    if ((ctx.state as string) === 'closed') {
      drain.ended();
      return done(null, payload);
    }
    closing.then(
      () => {
        drain.ended();
        done(null, payload);
      },
      (failure: unknown) => {
        drain.ended();
        logTeardownFailure(logger, component, request, failure, 'the response became a 500');
        done(null, teardownFailed(reply));
      },
    );
  });
}

function teardownFailed(reply: FastifyReply): string {
  reply.code(500);
  reply.removeHeader('content-length');
  reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify({
    statusCode: 500,
    error: 'Internal Server Error',
    code: HttpTeardownError.code,
    message: 'the request could not be completed: closing its context (e.g. a commit) failed',
  });
}

function logTeardownFailure(logger: Logger, component: string, request: FastifyRequest, failure: unknown, outcome: string): void {
  const message = failure instanceof Error ? failure.message : String(failure);
  logger.error(
    { err: failure, reqId: request.id, method: request.method, url: request.url, component },
    `${component}: closing the context of ${request.method} ${request.url} failed (${outcome}): ${message}`,
  );
}
