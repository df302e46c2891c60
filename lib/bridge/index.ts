// asphalt-ts/bridge: resources and signals across processes over NATS.
export { BridgeComponent } from './bridge-component';
export { BridgeConfig, BridgeTlsConfig, RemoteExportConfig, RemoteImportConfig } from './bridge-config';
export { remote } from './remote';
export type { RemoteOptions } from './remote';
export { declareRemote } from './remote-registry';
export type { DeclareRemoteOptions, RemoteMethodName, RemoteSignalName } from './remote-registry';
export { withCallOptions } from './remote-proxy';
export type { CallOptions } from './remote-proxy';
export {
  BridgeConnectionError,
  BridgePayloadError,
  NoRemoteProviderError,
  RemoteCallAbortedError,
  RemoteDeclarationError,
  RemoteError,
  RemoteOverloadedError,
  RemoteRejectedError,
  RemoteTimeoutError,
} from './bridge-errors';
export type { RemoteCallSite, RemoteFailure } from './bridge-errors';

