import { Component, provides, Signal, reportWaiting, type Context } from '../index';
import type { Subscription } from 'nats';
import type { BridgeConnection } from './bridge-connection';
import { decodeValue } from './codec';
import type { Subjects } from './protocol';
import { createRemoteProxy } from './remote-proxy';
import { waitForProvider, type ImportTarget } from './remote-call';
import type { RemoteDeclaration } from './remote-registry';

/** What one import needs. Internal. */
export interface ImportSettings {
  readonly name: string;
  readonly subjects: Subjects;
  readonly timeout: number;
  readonly connection: () => BridgeConnection;
}

type ComponentClass = new () => Component;

/**
 * The child component a bridge adds for one import: it `@provides` the remote key and name (so
 * the import satisfies `@requires` in the graph), waits at start until a provider answers, then
 * publishes the proxy. Internal.
 */
export function importComponentType(declaration: RemoteDeclaration, settings: ImportSettings): ComponentClass {
  const { id } = declaration;
  const { name, subjects, connection } = settings;
  const target: ImportTarget = { id, name, subjects, connection };

  class RemoteImport extends Component {
    override async start(ctx: Context): Promise<void> {
      const abort = new AbortController();
      ctx.addTeardownCallback(() => abort.abort());
      const signals = new Map<string, Signal<unknown>>();
      const subscriptions: Subscription[] = [];
      ctx.addTeardownCallback(() => subscriptions.forEach((s) => s.unsubscribe()));
      for (const signalName of declaration.signals) {
        const signal = new Signal<unknown>({ name: `${id}.${signalName} (remote)` });
        signals.set(signalName, signal);
        subscriptions.push(
          connection().nats.subscribe(subjects.signal(signalName), {
            callback: (_error, msg) => {
              let event: unknown;
              try {
                event = decodeValue(msg.data);
              } catch {
                return; // not an event in the bridge's format: dropped
              }
              signal.dispatch(event);
            },
          }),
        );
      }
      await reportWaiting(
        ctx,
        `a remote provider of ${id} '${name}' on ${connection().servers}`,
        waitForProvider(target, abort.signal),
      );
      const proxy = createRemoteProxy({ target, declaration, signals, timeout: settings.timeout, signal: undefined });
      ctx.addResource(proxy, {
        types: [declaration.key],
        name,
        description: `remote ${id} '${name}' (imported over NATS from ${connection().servers})`,
      });
    }
  }
  Object.defineProperty(RemoteImport, 'name', { value: `remote ${id} '${name}' (bridge import)` });
  provides(declaration.key, { name, description: `remote, imported by the bridge` })(RemoteImport);
  return RemoteImport;
}
