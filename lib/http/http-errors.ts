import { AsphaltError } from '../index';

/** A route was registered after the server began listening, or twice; names the component that did it. */
export class HttpRouteError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_ROUTE';
}

/** The server could not listen (address in use, permission, bad TLS material). */
export class HttpListenError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_LISTEN';
}

/** The error a request's context is closed with when the drain timeout cut the request. */
export class HttpDrainTimeoutError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_DRAIN_TIMEOUT';
}

/** A request's context teardown (e.g. a commit) failed: the response became a 500. */
export class HttpTeardownError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_TEARDOWN';
}

/** A configured fastify plugin could not be loaded or registered. */
export class HttpPluginError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_PLUGIN';
}

/** The client went away before its streamed response ended: the request's context closes with it (a rollback). */
export class HttpRequestAbortedError extends AsphaltError {
  static override readonly code = 'ASPHALT_HTTP_ABORTED';
}
