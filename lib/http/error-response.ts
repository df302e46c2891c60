import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../index';

/** The JSON body of an error response. */
export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  stack?: string;
}

/** The status an error asks for (`statusCode` or `status`, 400 to 599), else 500. */
export function statusOf(error: unknown): number {
  const e = error as { statusCode?: unknown; status?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : typeof e?.status === 'number' ? e.status : 500;
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

/**
 * fastify's error handler of an {@link HttpComponent}: the status from the error (else 500), a JSON
 * body, the message of a 5xx and the stack only when `expose` is set (development); 5xx logged.
 */
export function errorHandler(logger: Logger, component: string, expose: boolean) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const statusCode = statusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (statusCode >= 500) {
      logger.error({ err: error, reqId: request.id, method: request.method, url: request.url, component }, `${component}: ${request.method} ${request.url} failed: ${message}`);
    }
    const body: HttpErrorBody = {
      statusCode,
      error: STATUS_CODES[statusCode] ?? 'Error',
      message: statusCode < 500 || expose ? message : (STATUS_CODES[statusCode] ?? 'Error'),
    };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') body.code = code;
    if (expose && error instanceof Error && error.stack) body.stack = error.stack;
    void reply.code(statusCode).send(body);
  };
}
