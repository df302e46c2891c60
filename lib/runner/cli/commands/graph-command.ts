import { writeFileSync } from 'node:fs';
import { resolveGraph } from '../../../graph/resolve-graph';
import { requirePeer } from '../../../util/require-peer';
import { CliUsageError } from '../cli-error';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

const FORMATS = ['mermaid', 'dot', 'json', 'svg'] as const;

/** `asphalt graph FILE... --format mermaid|dot|json|svg [-o out]`: prints (or writes) the resolved graph. */
export async function graphCommand(args: CliArgs, out: NodeJS.WritableStream): Promise<number> {
  const format = args.format ?? 'mermaid';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(`--format ${format}: expected one of ${FORMATS.join(', ')}`);
  }
  const app = loadApplication(args);
  const { graph } = resolveGraph(app.rootType, app.rootConfig, app.resolveOptions);
  let text: string;
  if (format === 'json') text = `${JSON.stringify(graph.toJSON(), null, 2)}\n`;
  else if (format === 'mermaid') text = `${graph.toMermaid()}\n`;
  else if (format === 'dot') text = `${graph.toDot()}\n`;
  else text = await renderSvg(graph.toDot());
  if (args.output) writeFileSync(args.output, text);
  else out.write(text);
  return 0;
}

/**
 * Renders DOT as SVG with Graphviz compiled to WebAssembly (@viz-js/viz, an npm dependency), so
 * no Graphviz binary is needed. Loaded here only: its WASM module is ~1.5 MB.
 */
async function renderSvg(dot: string): Promise<string> {
  const { instance } = requirePeer<typeof import('@viz-js/viz')>('@viz-js/viz', "'asphalt graph --format svg'", '3');
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new CliUsageError(`Graphviz could not render the graph as svg: ${why}; use --format dot to see its DOT text`);
  }
  return result.output;
}
