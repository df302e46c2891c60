import { describeKey } from '../index';
import type { Msg, Subscription } from 'nats';
import type { BridgeConnection } from './bridge-connection';
import { RemoteDeclarationError } from './bridge-errors';
import { decodeValue, encodeValue, toBytes } from './codec';
import { failureText, pongText, rejectionText, resultText, type Subjects } from './protocol';
import type { RemoteDeclaration } from './remote-registry';

const encoder = new TextEncoder();

/** Settings of one {@link ExportServer}. Internal. */
export interface ExportSettings {
  readonly name: string;
  readonly subjects: Subjects;
  readonly provider: string;
  readonly remoteStacks: boolean;
  /** Calls running at once; past it a request is refused as `overloaded`. */
  readonly maxConcurrentCalls: number;
}

/**
 * Whether a request's reply subject is one a provider may publish to: a reply inbox (`_INBOX.…`,
 * the NATS clients' request inboxes), never a subject of the bridge's own layout (`<prefix>.…`):
 * a forged request whose reply subject is a signal or call subject would make the provider publish
 * a fake event or request there.
 */
export function isReplySubject(reply: string, prefix: string): boolean {
  return reply.startsWith('_INBOX.') && !reply.startsWith(`${prefix}.`) && !/[\s*>]/.test(reply);
}

interface SignalLike {
  connect(listener: (event: unknown) => unknown): () => void;
}

/**
 * Serves one exported resource: answers the requests on its subject (in the queue group shared
 * with the other providers), calling only methods declared remote, and publishes its remote
 * signals. Whatever arrives, it replies with an error rather than throw. `drain()` stops taking
 * requests and waits for those it accepted. Internal.
 */
export class ExportServer {
  readonly #connection: BridgeConnection;
  readonly #declaration: RemoteDeclaration;
  readonly #resource: Record<string, unknown>;
  readonly #settings: ExportSettings;
  readonly #label: string;
  readonly #inflight = new Set<Promise<void>>();
  readonly #disconnects: (() => void)[] = [];
  #subscription: Subscription | undefined;

  constructor(connection: BridgeConnection, declaration: RemoteDeclaration, resource: unknown, settings: ExportSettings) {
    this.#connection = connection;
    this.#declaration = declaration;
    this.#resource = resource as Record<string, unknown>;
    this.#settings = settings;
    this.#label = `${declaration.id} '${settings.name}'`;
  }

  /** Subscribes to the call subject (registered at the server when this resolves) and connects the remote signals. */
  async start(): Promise<void> {
    for (const name of this.#declaration.signals) {
      const signal = this.#resource[name] as SignalLike | undefined;
      if (typeof signal?.connect !== 'function') {
        throw new RemoteDeclarationError(
          `${this.#label}: '${name}' is declared a remote signal of ${describeKey(this.#declaration.key)}, but the ` +
            `published resource's '${name}' is ${signal === undefined ? 'missing' : 'not a Signal'}`,
        );
      }
      const subject = this.#settings.subjects.signal(name);
      const what = `an event of ${this.#label}.${name}`;
      this.#disconnects.push(
        signal.connect((event) => {
          if (!this.#connection.up) return;
          const data = toBytes(encodeValue(event, what, 'event'), this.#connection.maxPayload, what);
          this.#connection.nats.publish(subject, data);
        }),
      );
    }
    const { call, queue } = this.#settings.subjects;
    this.#subscription = this.#connection.nats.subscribe(call, {
      queue,
      callback: (_error, msg) => this.#receive(msg),
    });
    await this.#connection.nats.flush();
  }

  /** Stops taking requests (the others in the queue group get them) and waits for those accepted. */
  async drain(): Promise<void> {
    for (const disconnect of this.#disconnects.splice(0)) disconnect();
    const subscription = this.#subscription;
    this.#subscription = undefined;
    if (subscription !== undefined && !subscription.isClosed()) {
      try {
        if (this.#connection.up) await subscription.drain();
        else subscription.unsubscribe();
      } catch {
        // The connection closed meanwhile: nothing more can arrive.
      }
    }
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #receive(msg: Msg): void {
    if (!msg.reply) return; // a request without a reply subject: nobody to answer
    // Answer only inboxes: never publish where consumers listen for events or providers for calls.
    if (!isReplySubject(msg.reply, this.#settings.subjects.prefix)) return;
    if (msg.data.length > this.#connection.maxPayload) {
      return this.#reject(msg, 'too-large', `the request is ${msg.data.length} bytes, over maxPayload (${this.#connection.maxPayload})`);
    }
    let body: unknown;
    try {
      body = decodeValue(msg.data);
    } catch (error) {
      return this.#reject(msg, 'malformed', `the request is not a bridge message (${(error as Error).message})`);
    }
    const { m: method, a: args } = (typeof body === 'object' && body !== null ? body : {}) as { m?: unknown; a?: unknown };
    if (typeof method !== 'string') return this.#reject(msg, 'malformed', 'the request has no method name ("m")');
    if (method === '$ping') return this.#respond(msg, pongText(this.#settings.provider));
    if (!this.#declaration.methods.has(method)) {
      const allowed = [...this.#declaration.methods].join(', ') || 'none';
      return this.#reject(msg, 'not-remote', `${JSON.stringify(method.slice(0, 60))} is not a remote method of ${this.#label} (remote methods: ${allowed})`);
    }
    if (!Array.isArray(args)) return this.#reject(msg, 'malformed', 'the request has no argument list ("a")');
    const fn = this.#resource[method];
    if (typeof fn !== 'function') {
      return this.#reject(msg, 'unknown-method', `the resource published as ${this.#label} has no method ${method}()`);
    }
    if (this.#inflight.size >= this.#settings.maxConcurrentCalls) {
      return this.#reject(
        msg,
        'overloaded',
        `${this.#label} is running ${this.#inflight.size} calls, its limit (maxConcurrentCalls); retry later, ` +
          `or start more providers (they share the calls)`,
      );
    }
    const what = `the result of ${this.#label}.${method}()`;
    const running = Promise.resolve()
      .then(() => fn.apply(this.#resource, args) as unknown)
      .then(
        (result) => {
          try {
            const text = resultText(result, what);
            this.#respond(msg, text, toBytes(text, this.#connection.maxPayload, what));
          } catch (error) {
            this.#respond(msg, failureText(error, this.#settings.provider, this.#settings.remoteStacks));
          }
        },
        (error: unknown) => this.#respond(msg, failureText(error, this.#settings.provider, this.#settings.remoteStacks)),
      )
      .finally(() => this.#inflight.delete(running));
    this.#inflight.add(running);
  }

  #reject(msg: Msg, reason: string, message: string): void {
    this.#respond(msg, rejectionText(reason, message, this.#settings.provider));
  }

  #respond(msg: Msg, text: string, bytes: Uint8Array = encoder.encode(text)): void {
    try {
      msg.respond(bytes);
    } catch {
      // The connection closed or dropped: the caller has already been told (it fails fast too).
    }
  }
}
