import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolveGraph } from '../../../graph/resolve-graph';
import { CliUsageError } from '../cli-error';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

const FORMATS = ['mermaid', 'dot', 'json', 'svg'] as const;

/** `asphalt graph FILE... --format mermaid|dot|json|svg [-o out]`: prints (or writes) the resolved graph. */
export function graphCommand(args: CliArgs, out: NodeJS.WritableStream): number {
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
  else {
    const dot = spawnSync('dot', ['-Tsvg'], { input: graph.toDot(), encoding: 'utf8' });
    if (dot.error || dot.status !== 0) {
      const why = dot.error ? "Graphviz's 'dot' is not installed" : `dot failed: ${dot.stderr}`;
      throw new CliUsageError(`${why}; install Graphviz (Debian: apt-get install graphviz; macOS: brew install graphviz) or use --format dot`);
    }
    text = dot.stdout;
  }
  if (args.output) writeFileSync(args.output, text);
  else out.write(text);
  return 0;
}
