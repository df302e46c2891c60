import { resolveGraph } from '../../../graph/resolve-graph';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

/** `asphalt check FILE...`: loads and validates the config and resolves the whole graph; starts nothing. */
export function checkCommand(args: CliArgs, out: NodeJS.WritableStream): number {
  const app = loadApplication(args);
  const { graph } = resolveGraph(app.rootType, app.rootConfig, app.resolveOptions);
  const service = app.loaded.service ? ` (service ${app.loaded.service})` : '';
  out.write(`ok: ${graph.nodes.size} component(s), ${graph.edges.length} dependency edge(s)${service}\n`);
  return 0;
}
