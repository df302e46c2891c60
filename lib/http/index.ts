// asphalt-ts/http: an HTTP server component on fastify, with a context per request and a drain that loses nothing.
export { HttpComponent } from './http-component';
export { HttpConfig, HttpHealthConfig, HttpPluginConfig, HttpTlsConfig } from './http-config';
export { HttpAddress, HttpApp, HttpReply, HttpRequest, RequestLogger } from './http-keys';
export type { HttpAddressInfo, HttpReplyHandle } from './http-keys';
export { currentReply, currentRequest } from './request-context';
export { HttpRoutes } from './route-table';
export type { RouteInfo } from './route-table';
export { statusOf } from './error-response';
export type { HttpErrorBody } from './error-response';
export { HttpDrainTimeoutError, HttpListenError, HttpPluginError, HttpRequestAbortedError, HttpRouteError, HttpTeardownError } from './http-errors';
