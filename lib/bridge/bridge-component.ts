import { Component, component, registerComponentType, reportWaiting, type Context } from '../index';
import { hostname } from 'node:os';
import { BridgeConfig } from './bridge-config';
import { BridgeConnection } from './bridge-connection';
import { BridgeConnectionError, RemoteDeclarationError } from './bridge-errors';
import { exportComponentType } from './export-component';
import { importComponentType } from './import-component';
import { subjectsOf } from './protocol';
import { remoteDeclarationById } from './remote-registry';

let instances = 0;

/**
 * Exports chosen local resources over NATS and imports remote ones as proxies, so that a
 * `@requires(Mailer)` can be satisfied by another process with no change to the consumer.
 * Registered as the component type `bridge`.
 *
 * Each import becomes a child component that `@provides` the key (so `asphalt check` and `graph`
 * show it as provided by the bridge) and, at start, waits until a provider answers; each export a
 * child that `@requires` the local resource and serves it in a NATS queue group shared with the
 * other providers. The connection is opened in `prepare()` and drained at stop, after the exports
 * have answered every request they accepted.
 *
 * @example
 * # consumer.yaml
 * components:
 *   signup: { type: ./signup.js:SignupComponent }      # @requires(Mailer)
 *   bridge: { type: bridge, servers: [nats://127.0.0.1:4222], import: [{ key: Mailer }] }
 */
@component()
export class BridgeComponent extends Component {
  #connection: BridgeConnection | undefined;
  readonly #providerId: string;

  constructor(readonly config: BridgeConfig) {
    super();
    this.#providerId = config.providerId ?? `${hostname()}:${process.pid}:${++instances}`;
    const connection = (): BridgeConnection => {
      if (this.#connection === undefined) throw new BridgeConnectionError('the bridge is not connected yet (its prepare() has not run)');
      return this.#connection;
    };
    const imported = new Set<string>();
    config.import.forEach((spec, i) => {
      const declaration = remoteDeclarationById(spec.key, `bridge config import.${i}.key`);
      imported.add(`${spec.key}\0${spec.name}`);
      const type = importComponentType(declaration, {
        name: spec.name,
        subjects: subjectsOf(config.subjectPrefix, declaration.id, spec.name),
        timeout: spec.timeout ?? config.callTimeout,
        connection,
      });
      this.addComponent(aliasOf('import', spec.key, spec.name), type, spec.startTimeout === undefined ? {} : { startTimeout: spec.startTimeout });
    });
    config.export.forEach((spec, i) => {
      const declaration = remoteDeclarationById(spec.key, `bridge config export.${i}.key`);
      if (imported.has(`${spec.key}\0${spec.name}`)) {
        throw new RemoteDeclarationError(
          `bridge config: ${spec.key} '${spec.name}' is both imported and exported; the bridge would serve its own ` +
            `proxy. Export the local resource, or import the remote one under another name`,
        );
      }
      const type = exportComponentType(declaration, {
        name: spec.name,
        subjects: subjectsOf(config.subjectPrefix, declaration.id, spec.name),
        provider: this.#providerId,
        remoteStacks: config.remoteStacks,
        maxConcurrentCalls: spec.maxConcurrentCalls ?? config.maxConcurrentCalls,
        connection,
      });
      this.addComponent(aliasOf('export', spec.key, spec.name), type);
    });
  }

  /** How this process names itself to the broker and in remote errors. */
  get providerId(): string {
    return this.#providerId;
  }

  override async prepare(ctx: Context): Promise<void> {
    const abort = new AbortController();
    ctx.addTeardownCallback(() => abort.abort());
    const servers = this.config.servers.join(', ');
    this.#connection = await reportWaiting(
      ctx,
      `a connection to NATS at ${servers}`,
      BridgeConnection.open(this.config, this.#providerId, abort.signal),
    );
    const connection = this.#connection;
    ctx.addTeardownCallback(() => connection.close());
  }
}

function aliasOf(direction: string, key: string, name: string): string {
  return name === 'default' ? `${direction}-${key}` : `${direction}-${key}-${name}`;
}

registerComponentType('bridge', BridgeComponent);
