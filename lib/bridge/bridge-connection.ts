import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions, Msg, NatsConnection, NatsError } from 'nats';
import { BridgeConnectionError } from './bridge-errors';
import type { BridgeConfig } from './bridge-config';

/** Why a request failed, before it is turned into an error that names the call. Internal. */
export type RequestFailureKind = 'no-responders' | 'timeout' | 'lost' | 'down' | 'closed' | 'aborted' | 'too-large' | 'other';

/** A failed request. Internal: `callRemote` turns it into a bridge error. */
export class RequestFailure extends Error {
  constructor(
    readonly kind: RequestFailureKind,
    readonly reason?: unknown,
  ) {
    super(kind);
  }
}

/** What to check after a connection failure that retrying will not fix. */
function connectHint(error: unknown): string {
  const code = String((error as NatsError).code ?? '');
  const message = String((error as Error | undefined)?.message ?? ''); // not instanceof: Node's TLS errors may come from another realm
  if (/AUTH|PERMISSION/i.test(code)) return '; check user/pass, token or credsFile in the bridge config';
  if (/altnames/i.test(message)) {
    return (
      "; the broker's certificate does not list the host of the server URL (nats.js checks a server given by IP " +
      "address against the name 'localhost'): give the server by a name its certificate lists"
    );
  }
  if (/certificate|self[- ]signed/i.test(message)) {
    return "; the broker's certificate could not be verified: give the CA that signed it in the bridge config (tls.caFile)";
  }
  return '';
}

/** NATS errors that mean "cannot reach a server (yet)": worth retrying at startup. */
const RETRY_CODES = new Set(['CONNECTION_REFUSED', 'CONNECTION_TIMEOUT', 'DISCONNECT']);

interface PendingRequest {
  readonly resolve: (msg: Msg) => void;
  readonly fail: (kind: RequestFailureKind, reason?: unknown) => void;
}

/**
 * The bridge's NATS connection. Requests go through one reply subscription (`<inbox>.<n>`) whose
 * pending calls it owns, so that a call can be failed at once when the connection drops or its
 * `AbortSignal` aborts, with no timer left behind (NATS's own request API can do neither). Internal.
 */
export class BridgeConnection {
  readonly #nats: NatsConnection;
  /** The servers, for messages: `nats://127.0.0.1:4222`. */
  readonly servers: string;
  /** The smaller of the configured maxPayload and the server's max_payload. */
  readonly maxPayload: number;
  readonly #inbox: string;
  readonly #pending = new Map<string, PendingRequest>();
  #next = 0;
  #up = true;
  #closed = false;

  private constructor(nats: NatsConnection, inbox: string, servers: string, maxPayload: number) {
    this.#nats = nats;
    this.#inbox = inbox;
    this.servers = servers;
    this.maxPayload = Math.min(maxPayload, nats.info?.max_payload ?? maxPayload);
    nats.subscribe(`${inbox}.*`, { callback: (_error, msg) => this.#reply(msg) });
    void this.#watch();
  }

  /**
   * Connects, retrying while no server accepts connections (a broker starting at the same time),
   * until `signal` aborts. Other failures (authentication, TLS) are thrown at once.
   */
  static async open(config: BridgeConfig, name: string, signal: AbortSignal): Promise<BridgeConnection> {
    const nats = await import('nats');
    const servers = config.servers.join(', ');
    const options: ConnectionOptions = {
      servers: config.servers,
      name,
      user: config.user,
      pass: config.pass,
      token: config.token,
      tls: config.tls ? { ...config.tls } : config.servers.some((s) => s.startsWith('tls://')) ? {} : undefined,
      maxReconnectAttempts: -1,
      reconnectTimeWait: config.reconnectWait,
      reconnectJitter: Math.min(100, config.reconnectWait),
      waitOnFirstConnect: false,
    };
    if (config.credsFile !== undefined) {
      let creds: Uint8Array;
      try {
        creds = readFileSync(config.credsFile);
      } catch (error) {
        throw new BridgeConnectionError(`cannot read the NATS credentials file ${config.credsFile}: ${(error as Error).message}`);
      }
      options.authenticator = nats.credsAuthenticator(creds);
    }
    for (;;) {
      signal.throwIfAborted();
      try {
        const connection = await nats.connect(options);
        if (signal.aborted) {
          await connection.close();
          signal.throwIfAborted();
        }
        return new BridgeConnection(connection, nats.createInbox(), servers, config.maxPayload);
      } catch (error) {
        const code = (error as NatsError).code;
        if (!RETRY_CODES.has(code)) {
          if (signal.aborted) throw signal.reason;
          throw new BridgeConnectionError(`cannot connect to NATS at ${servers}: ${(error as Error).message}${connectHint(error)}`, {
            cause: error,
          });
        }
        await sleep(config.reconnectWait, undefined, { signal });
      }
    }
  }

  /** The NATS connection, for subscriptions and publishing. */
  get nats(): NatsConnection {
    return this.#nats;
  }

  /** Whether the connection is up (not reconnecting, not closed). */
  get up(): boolean {
    return this.#up && !this.#closed;
  }

  /**
   * A request/reply that rejects with a {@link RequestFailure}: at once when the connection is down
   * or drops while waiting, or when `signal` aborts; otherwise on no responders or the timeout.
   */
  request(subject: string, data: Uint8Array, timeout: number, signal: AbortSignal | undefined): Promise<Msg> {
    if (this.#closed) return Promise.reject(new RequestFailure('closed'));
    if (!this.#up) return Promise.reject(new RequestFailure('down'));
    if (signal?.aborted) return Promise.reject(new RequestFailure('aborted', signal.reason));
    const token = (this.#next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const settle = (): void => {
        this.#pending.delete(token);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => fail('aborted', signal!.reason);
      const fail = (kind: RequestFailureKind, reason?: unknown): void => {
        settle();
        reject(new RequestFailure(kind, reason));
      };
      const timer = setTimeout(fail, timeout, 'timeout');
      this.#pending.set(token, {
        resolve: (msg) => {
          settle();
          resolve(msg);
        },
        fail,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.#nats.publish(subject, data, { reply: `${this.#inbox}.${token}` });
      } catch (error) {
        fail(failureKind(error), error);
      }
    });
  }

  /** Drains (subscriptions finish their messages, publishes are flushed), then closes. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#up) {
        let timer: NodeJS.Timeout | undefined;
        // A broker that stops answering mid-drain must not hold the stop: close after 5 s regardless.
        await Promise.race([this.#nats.drain(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]).finally(() =>
          clearTimeout(timer),
        );
      }
    } catch {
      // Already closing or closed: close() below settles it either way.
    } finally {
      this.#closed = true;
      if (!this.#nats.isClosed()) await this.#nats.close();
    }
  }

  async #watch(): Promise<void> {
    void this.#nats.closed().then(() => {
      this.#closed = true;
      this.#failAll('closed');
    });
    for await (const status of this.#nats.status()) {
      if (status.type === 'disconnect') {
        this.#up = false;
        this.#failAll('lost');
      } else if (status.type === 'reconnect') {
        this.#up = true;
      }
    }
  }

  #reply(msg: Msg): void {
    const pending = this.#pending.get(msg.subject.slice(this.#inbox.length + 1));
    if (pending === undefined) return; // answered after its timeout, abort or a disconnect
    if (msg.data.length === 0 && msg.headers?.code === 503) pending.fail('no-responders');
    else pending.resolve(msg);
  }

  #failAll(kind: RequestFailureKind): void {
    for (const pending of [...this.#pending.values()]) pending.fail(kind);
  }
}

function failureKind(error: unknown): RequestFailureKind {
  switch ((error as NatsError | undefined)?.code) {
    case '503':
      return 'no-responders';
    case 'TIMEOUT':
      return 'timeout';
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_DRAINING':
      return 'closed';
    case 'DISCONNECT':
      return 'lost';
    case 'MAX_PAYLOAD_EXCEEDED':
      return 'too-large';
    default:
      return 'other';
  }
}
