import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { token, type Logger, type Token } from '../index';

/**
 * The fastify instance of an {@link HttpComponent}, published in `prepare()`: children register
 * routes and plugins on it in their `start()`.
 *
 * @example
 * class NotesRoutes extends Component {
 *   @requires(HttpApp) app!: FastifyInstance;
 *   async start() { this.app.get('/notes', async () => []); }
 * }
 */
export const HttpApp: Token<FastifyInstance> = token<FastifyInstance>('HttpApp');

/** Where an {@link HttpComponent} listens, published once it does (port 0 gives the real port). */
export interface HttpAddressInfo {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (or `https://`). */
  readonly url: string;
}

/** The bound address of an {@link HttpComponent}. */
export const HttpAddress: Token<HttpAddressInfo> = token<HttpAddressInfo>('HttpAddress');

/** The current request, in a request's context: `await Context.current().getResource(HttpRequest)`. */
export const HttpRequest: Token<FastifyRequest> = token<FastifyRequest>('HttpRequest');

/**
 * Holds the current reply. fastify's reply is a thenable (awaiting it waits for the response to be
 * sent), and `getResource` awaits a thenable, so the reply is published wrapped.
 */
export interface HttpReplyHandle {
  readonly reply: FastifyReply;
}

/** The current reply, in a request's context: `(await ctx.getResource(HttpReply)).reply`. */
export const HttpReply: Token<HttpReplyHandle> = token<HttpReplyHandle>('HttpReply');

/** The application logger with the request's id (`reqId`), method and url bound, in a request's context. */
export const RequestLogger: Token<Logger> = token<Logger>('RequestLogger');
