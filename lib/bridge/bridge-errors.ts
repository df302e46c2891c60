import { AsphaltError } from '../index';

/** Which remote call failed: the remote key's id, the resource name and the method. */
export interface RemoteCallSite {
  /** The remote id of the key, e.g. `Mailer`. */
  readonly remoteKey: string;
  readonly resourceName: string;
  readonly method: string;
}

/** What the provider reported about the error its method threw. */
export interface RemoteFailure {
  readonly code?: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** The identity of the provider that ran the call (`host:pid:…`, or `providerId` from config). */
  readonly provider: string;
}

/**
 * A remote method threw. The remote error's `code`, name, message and stack and the provider's
 * identity travel with it; the remote stack is appended to this error's own stack.
 */
export class RemoteError extends AsphaltError {
  static override readonly code = 'ASPHALT_REMOTE_ERROR';
  /** The `code` property of the remote error, when it had a string one. */
  readonly remoteCode: string | undefined;
  readonly remoteName: string;
  readonly remoteMessage: string;
  readonly remoteStack: string | undefined;
  readonly provider: string;

  constructor(
    readonly site: RemoteCallSite,
    failure: RemoteFailure,
  ) {
    super(
      `${site.remoteKey} '${site.resourceName}'.${site.method}() failed on provider ${failure.provider}: ` +
        `${failure.name}${failure.code ? ` [${failure.code}]` : ''}: ${failure.message}`,
    );
    this.remoteCode = failure.code;
    this.remoteName = failure.name;
    this.remoteMessage = failure.message;
    this.remoteStack = failure.stack;
    this.provider = failure.provider;
    if (failure.stack) this.stack = `${this.stack}\nRemote stack (provider ${failure.provider}):\n${failure.stack}`;
  }
}

/** A remote call got no reply within its timeout (per import, or per call with `withCallOptions`). */
export class RemoteTimeoutError extends AsphaltError {
  static override readonly code = 'ASPHALT_REMOTE_TIMEOUT';
  constructor(
    message: string,
    readonly site: RemoteCallSite,
    readonly timeout: number,
  ) {
    super(message);
  }
}

/** A remote call was cancelled through its `AbortSignal`; a late reply is ignored. */
export class RemoteCallAbortedError extends AsphaltError {
  static override readonly code = 'ASPHALT_REMOTE_ABORTED';
  constructor(
    message: string,
    readonly site: RemoteCallSite,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** NATS reported that nobody serves the remote resource (no responders): no provider is running. */
export class NoRemoteProviderError extends AsphaltError {
  static override readonly code = 'ASPHALT_NO_REMOTE_PROVIDER';
  constructor(
    message: string,
    readonly site: RemoteCallSite,
  ) {
    super(message);
  }
}

/**
 * The bridge is not connected to the broker: the connection dropped while the call was in flight,
 * the client is reconnecting, or the bridge has stopped. The call may or may not have run.
 */
export class BridgeConnectionError extends AsphaltError {
  static override readonly code = 'ASPHALT_BRIDGE_CONNECTION';
}

/** A value cannot cross the bridge: it does not serialize, or it is larger than `maxPayload`. */
export class BridgePayloadError extends AsphaltError {
  static override readonly code = 'ASPHALT_BRIDGE_PAYLOAD';
  constructor(
    message: string,
    /** Where in the value the problem is, e.g. `args[1].when`; '' for the whole value. */
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * The provider refused a request before calling anything: malformed, too large, or naming a
 * method that is not declared remote. Usually a version skew between consumer and provider.
 */
export class RemoteRejectedError extends AsphaltError {
  static override readonly code: string = 'ASPHALT_REMOTE_REJECTED';
  constructor(
    message: string,
    /** `malformed`, `too-large`, `not-remote`, `unknown-method` or `overloaded`. */
    readonly reason: string,
    readonly provider: string,
  ) {
    super(message);
  }
}

/**
 * The provider refused the call because its export was already running `maxConcurrentCalls` calls
 * (the method did not run). Retry later, or start more providers.
 */
export class RemoteOverloadedError extends RemoteRejectedError {
  static override readonly code = 'ASPHALT_REMOTE_OVERLOADED';
}

/** A `@remote` declaration, or a remote key named in a bridge's config, is wrong. */
export class RemoteDeclarationError extends AsphaltError {
  static override readonly code = 'ASPHALT_REMOTE_DECLARATION';
}
