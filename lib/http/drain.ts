import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Which request was read last on a socket: only that one's response may say `Connection: close`. */
const lastRequest = Symbol('asphalt.http.lastRequest');
type TrackedSocket = Socket & { [lastRequest]?: FastifyRequest };

/** What a drain did: requests answered while draining, cut at the timeout, refused with 503. */
export interface DrainReport {
  readonly drained: number;
  readonly cut: number;
  readonly refused: number;
  readonly ms: number;
  readonly timedOut: boolean;
}

/**
 * The stop of an HTTP server that loses nothing: stops accepting, answers what is in flight (the
 * last response on each socket with `Connection: close`), closes idle keep-alive sockets at once
 * and again as they become idle, refuses new requests on open sockets with 503 + `Retry-After`, and
 * at the timeout destroys what is left. Internal to {@link HttpComponent}.
 */
export class Drain {
  /** Requests whose context is open (from onRequest to the response). */
  inFlight = 0;
  #draining = false;
  #drained = 0;
  #refused = 0;

  constructor(readonly retryAfter: number) {}

  get draining(): boolean {
    return this.#draining;
  }

  /** onRequest, for every request (refused ones too): marks it the latest read on its socket. */
  arrived(request: FastifyRequest): void {
    const socket = request.raw.socket as TrackedSocket | null;
    if (socket) socket[lastRequest] = request;
  }

  /** onSend: while draining, the socket's latest request gets `Connection: close`. */
  answering(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.#draining) return;
    const socket = request.raw.socket as TrackedSocket | null;
    if (socket?.[lastRequest] === request) reply.header('connection', 'close');
  }

  /** The request's context closed (its response is being written). */
  ended(): void {
    this.inFlight--;
    if (this.#draining) this.#drained++;
  }

  /** onRequest while draining: 503 with `Retry-After` (and `Connection: close` if it is the socket's last). */
  refuse(reply: FastifyReply): void {
    this.#refused++;
    void reply
      .code(503)
      .header('retry-after', String(this.retryAfter))
      .send({ statusCode: 503, error: 'Service Unavailable', message: 'the server is shutting down; retry on another instance' });
  }

  /**
   * Drains `server`: resolves once every connection is gone, or at `timeout` after destroying what
   * is left (then `onTimeout` runs first, with the number of requests cut).
   */
  async drain(server: Server, close: () => Promise<void>, timeout: number, onTimeout: (cut: number) => Promise<void>): Promise<DrainReport> {
    const began = performance.now();
    this.#draining = true;
    const closed = close();
    server.closeIdleConnections();
    // A response written just before the drain began leaves its socket idle later: sweep again.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)));
    let cut = 0;
    try {
      const outcome = await Promise.race([closed.then(() => 'closed' as const), timedOut]);
      if (outcome === 'timeout') {
        cut = this.inFlight;
        await onTimeout(cut);
        server.closeAllConnections();
        await closed;
      }
      return { drained: this.#drained, cut, refused: this.#refused, ms: performance.now() - began, timedOut: outcome === 'timeout' };
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
  }
}
