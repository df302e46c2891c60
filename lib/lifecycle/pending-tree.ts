import { describeKey } from '../resources/resource-key';
import type { ComponentRun } from './component-run';
import type { ProviderRef } from '../graph/resolve-graph';

const MAX_LINES = 60;

/**
 * The tree of components that have not finished starting, one line each: its path and class, its
 * phase, how long it has been in it, and what it waits for (key, name, and the component expected
 * to provide it). Under a component in `prepare()` or `start()`, where that code is suspended: the
 * application's stack frames at each `await` still pending (innermost first).
 *
 * @example
 * root (App) [starting children 5.0 s] for its children: api, db
 *   root.api (Api) [waiting 5.0 s] for Db 'default' (from root.db)
 *   root.db (DbComponent) [starting 5.0 s, start timeout 5000 ms] in start()   <-- timed out
 *       suspended at connectWithRetry (src/db.ts:41:7)
 *                 at async DbComponent.start (src/db.ts:18:5)
 */
export function renderPendingTree(
  root: ComponentRun,
  now: number,
  providers: ReadonlyMap<unknown, readonly ProviderRef[]>,
  marked?: ComponentRun,
): string {
  const lines: string[] = [];
  let omitted = 0;
  const visit = (run: ComponentRun, depth: number): void => {
    if (run.node.state === 'started' || run.node.state === 'stopped') return;
    if (lines.length >= MAX_LINES) {
      omitted++;
    } else {
      const indent = '  '.repeat(depth);
      lines.push(`${indent}${describe(run, now, providers)}${run === marked ? '   <-- timed out' : ''}`);
      for (const chain of run.owner.suspensionSites?.chains() ?? []) {
        chain.forEach((frame, i) => lines.push(`${indent}    ${i === 0 ? 'suspended at' : '          at'} ${frame}`));
      }
    }
    for (const child of run.children) visit(child, depth + 1);
  };
  visit(root, 0);
  if (omitted > 0) lines.push(`... and ${omitted} more pending component(s)`);
  return lines.join('\n');
}

function describe(run: ComponentRun, now: number, providers: ReadonlyMap<unknown, readonly ProviderRef[]>): string {
  const { record, node } = run;
  const state = node.state === 'created' ? 'not begun' : node.state;
  const name = `${record.path} (${record.instance.constructor.name})`;
  const head = `${name} [${state} ${seconds(now - run.since)}`;
  if (node.state === 'created') return `${name} [not begun: waits for its parent to prepare]`;
  if (node.state === 'waiting') {
    const found = providers.get(record) ?? [];
    const waits = [...(run.unmet ?? [])].map((requirement) => {
      const provider = found[record.requires.indexOf(requirement)];
      const from = provider === undefined ? 'no provider' : provider === 'context' ? 'the context' : provider.path;
      return `${describeKey(requirement.key)} '${requirement.name}' (from ${from})`;
    });
    for (const other of run.startsAfter ?? []) {
      if (other.node.state !== 'started') waits.push(`${other.record.path} to start (it stops after ${record.path})`);
    }
    return `${head}] for ${waits.join(', ') || 'nothing (about to prepare)'}`;
  }
  if (node.state === 'preparing' || node.state === 'starting') {
    const inside = node.state === 'preparing' ? 'prepare()' : 'start()';
    const waits = run.owner.pendingWaits;
    return (
      `${head}, start timeout ${record.startTimeout} ms]` +
      (waits.length ? ` in ${inside}: waiting for ${waits.join(', ')}` : ` in ${inside}`)
    );
  }
  if (node.state === 'starting children') {
    const pending = run.children.filter((c) => c.node.state !== 'started').map((c) => c.record.alias);
    return `${head}] for its children: ${pending.join(', ')}`;
  }
  return `${head}]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
