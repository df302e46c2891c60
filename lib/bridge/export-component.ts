import { Component, requires, type Context } from '../index';
import type { BridgeConnection } from './bridge-connection';
import { ExportServer, type ExportSettings } from './export-server';
import type { RemoteDeclaration } from './remote-registry';

/** What one export needs. Internal. */
export interface ExportComponentSettings extends ExportSettings {
  readonly connection: () => BridgeConnection;
}

type ComponentClass = new () => Component;

/**
 * The child component a bridge adds for one export: it `@requires` the local resource (so it
 * starts after, and stops before, its provider), then serves it. At stop it drains: requests it
 * accepted are answered before the connection closes. Internal.
 */
export function exportComponentType(declaration: RemoteDeclaration, settings: ExportComponentSettings): ComponentClass {
  const { id } = declaration;
  const { name, connection } = settings;

  class RemoteExport extends Component {
    override async start(ctx: Context): Promise<void> {
      const resource = await ctx.getResource(declaration.key, name);
      const server = new ExportServer(connection(), declaration, resource, settings);
      ctx.addTeardownCallback(() => server.drain());
      await server.start();
    }
  }
  Object.defineProperty(RemoteExport, 'name', { value: `remote ${id} '${name}' (bridge export)` });
  requires(declaration.key, { name })(RemoteExport);
  return RemoteExport;
}
