import { describeKey } from '../resources/resource-key';
import type { ComponentGraph } from './component-graph';
import type { ComponentState, GraphEdge, GraphNode } from './graph-types';

/** Fill colours for states worth showing; `created` stays plain. */
const stateColours: Readonly<Record<ComponentState, string | undefined>> = {
  created: undefined,
  waiting: '#fff3cd',
  preparing: '#cfe2ff',
  'starting children': '#cfe2ff',
  starting: '#cfe2ff',
  started: '#d1e7dd',
  stopping: '#e2e3e5',
  stopped: '#e2e3e5',
  failed: '#f8d7da',
};

/**
 * Draws the graph as a Mermaid `flowchart LR`. Every arrow points in start order: a solid arrow
 * from provider to consumer, labelled `Key 'name'` (with `(optional)` when the requirement is), and
 * a dotted arrow `-.->` from each child to its parent (the parent's `start()` runs after it), and a
 * dotted arrow labelled `stops after` from a component to each one its `stopAfter` names. Each
 * isolated component is a subgraph holding itself and its subtree, nested as the tree is. Node
 * ids are the paths with every character outside `[A-Za-z0-9_]` replaced by `_` (and a suffix if
 * that collides); labels are `alias<br/>Type`. Nodes in a state other than `created` are coloured
 * with a `classDef` per state. Output is deterministic: nodes in tree pre-order, edges in graph order.
 *
 * @example
 * writeFileSync('graph.mmd', toMermaid(app.graph));
 */
export function toMermaid(graph: ComponentGraph): string {
  const ids = uniqueIds(graph, (path) => `n_${path.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const lines = ['flowchart LR'];
  walkScopes(graph, {
    enterScope: (node, depth) => lines.push(`${indent(depth)}subgraph s_${ids.get(node.path)}["${mermaidText(`${node.path} (isolated)`)}"]`),
    node: (node, depth) =>
      lines.push(`${indent(depth)}${ids.get(node.path)}["${mermaidText(node.alias)}<br/>${mermaidText(node.type)}"]`),
    leaveScope: (_node, depth) => lines.push(`${indent(depth)}end`),
  });
  for (const edge of graph.edges) {
    lines.push(`  ${ids.get(edge.provider)} -->|"${mermaidText(edgeLabel(edge))}"| ${ids.get(edge.consumer)}`);
  }
  for (const node of graph.nodes.values()) {
    if (node.parent !== undefined && graph.nodes.has(node.parent)) {
      lines.push(`  ${ids.get(node.path)} -.-> ${ids.get(node.parent)}`);
    }
  }
  for (const node of graph.nodes.values()) {
    for (const after of node.stopAfter ?? []) lines.push(`  ${ids.get(node.path)} -.->|"stops after"| ${ids.get(after)}`);
  }
  for (const [state, nodes] of byState(graph)) {
    const className = state.replace(/ /g, '_');
    lines.push(`  classDef ${className} fill:${stateColours[state]}`);
    lines.push(`  class ${nodes.map((node) => ids.get(node.path)).join(',')} ${className}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Draws the graph as a Graphviz `digraph asphalt` (`rankdir=LR`), the same picture as
 * {@link toMermaid}: provider -> consumer edges labelled `Key 'name'` (dashed when optional),
 * dotted child -> parent edges, dotted `stops after` edges, a `cluster` subgraph per isolated
 * component, and a fill colour per state other than `created`. Node ids are the quoted paths.
 * Output is deterministic.
 *
 * @example
 * execFileSync('dot', ['-Tsvg', '-o', 'graph.svg'], { input: toDot(app.graph) });
 */
export function toDot(graph: ComponentGraph): string {
  const lines = ['digraph asphalt {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  walkScopes(graph, {
    enterScope: (node, depth) => {
      lines.push(`${indent(depth)}subgraph ${dotString(`cluster_${node.path}`)} {`);
      lines.push(`${indent(depth + 1)}label=${dotString(`${node.path} (isolated)`)};`);
    },
    node: (node, depth) => {
      const colour = stateColours[node.state];
      const fill = colour === undefined ? '' : `, style="rounded,filled", fillcolor=${dotString(colour)}`;
      lines.push(`${indent(depth)}${dotString(node.path)} [label=${dotString(`${node.alias}\n${node.type}`)}${fill}];`);
    },
    leaveScope: (_node, depth) => lines.push(`${indent(depth)}}`),
  });
  for (const edge of graph.edges) {
    const style = edge.optional ? ', style=dashed' : '';
    lines.push(`  ${dotString(edge.provider)} -> ${dotString(edge.consumer)} [label=${dotString(edgeLabel(edge))}${style}];`);
  }
  for (const node of graph.nodes.values()) {
    if (node.parent !== undefined && graph.nodes.has(node.parent)) {
      lines.push(`  ${dotString(node.path)} -> ${dotString(node.parent)} [style=dotted, arrowhead=empty];`);
    }
  }
  for (const node of graph.nodes.values()) {
    for (const after of node.stopAfter ?? []) lines.push(`  ${dotString(node.path)} -> ${dotString(after)} [label="stops after", style=dotted];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

interface ScopeVisitor {
  enterScope(node: GraphNode, depth: number): void;
  node(node: GraphNode, depth: number): void;
  leaveScope(node: GraphNode, depth: number): void;
}

/** Tree pre-order with an explicit stack, opening a scope at each isolated component. */
function walkScopes(graph: ComponentGraph, visitor: ScopeVisitor): void {
  const visited = new Set<string>();
  const work: { node: GraphNode; leave: boolean; depth: number }[] = [];
  const roots = [graph.root, ...[...graph.nodes.values()].filter((node) => node !== graph.root)];
  for (const start of roots) {
    if (visited.has(start.path)) continue;
    work.push({ node: start, leave: false, depth: 1 });
    while (work.length > 0) {
      const { node, leave, depth } = work.pop()!;
      if (leave) {
        visitor.leaveScope(node, depth - 1);
        continue;
      }
      if (visited.has(node.path)) continue;
      visited.add(node.path);
      let inner = depth;
      if (node.isolated) {
        visitor.enterScope(node, depth);
        work.push({ node, leave: true, depth: depth + 1 });
        inner = depth + 1;
      }
      visitor.node(node, inner);
      for (let i = node.children.length - 1; i >= 0; i--) {
        const child = graph.nodes.get(node.children[i]!);
        if (child) work.push({ node: child, leave: false, depth: inner });
      }
    }
  }
}

function uniqueIds(graph: ComponentGraph, sanitize: (path: string) => string): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const path of graph.nodes.keys()) {
    const base = sanitize(path);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    ids.set(path, id);
  }
  return ids;
}

function byState(graph: ComponentGraph): Map<ComponentState, GraphNode[]> {
  const groups = new Map<ComponentState, GraphNode[]>();
  for (const node of graph.nodes.values()) {
    if (stateColours[node.state] === undefined) continue;
    const group = groups.get(node.state);
    if (group) group.push(node);
    else groups.set(node.state, [node]);
  }
  return groups;
}

function edgeLabel(edge: GraphEdge): string {
  const label = `${describeKey(edge.resource.key)} '${edge.resource.name}'`;
  return edge.optional ? `${label} (optional)` : label;
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}

/** Text safe inside a quoted Mermaid label: markup characters become `#code;` entities. */
function mermaidText(text: string): string {
  return text.replace(/["#<>[\]{}|`\\]/g, (char) => `#${char.charCodeAt(0)};`).replace(/\r?\n/g, ' ');
}

/** A double-quoted DOT string; `\n` in `text` becomes a DOT line break. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
