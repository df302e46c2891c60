import { StopAfterError } from '../errors';
import { closestMatch, editDistance } from '../util/closest-match';
import type { ComponentRecord } from './build-tree';

/**
 * Resolves every component's `stopAfter` names (relative to its parent, dots going down through
 * children, as YAML's `components:` nests) to component paths, each once. A name that reaches no
 * component, the component itself or one of its descendants, and any `stopAfter` on the root, is
 * a `StopAfterError` in `problems`. Internal.
 */
export function resolveStopAfter(records: readonly ComponentRecord[], problems: StopAfterError[]): Map<ComponentRecord, string[]> {
  const resolved = new Map<ComponentRecord, string[]>();
  for (const record of records) {
    if (record.stopAfter.length === 0) continue;
    const paths: string[] = [];
    for (const name of record.stopAfter) {
      const target = resolveName(record, name, problems);
      if (target !== undefined && !paths.includes(target.path)) paths.push(target.path);
    }
    if (paths.length > 0) resolved.set(record, paths);
  }
  return resolved;
}

function resolveName(record: ComponentRecord, name: string, problems: StopAfterError[]): ComponentRecord | undefined {
  const what = `component ${record.path}: stopAfter '${name}' (from ${record.stopAfterOrigin})`;
  const parent = record.parent;
  if (parent === undefined) {
    problems.push(
      new StopAfterError(
        `${what} is set on the root component, which has no siblings to stop after; set stopAfter on the child that must outlive the other`,
        record.path,
        name,
      ),
    );
    return undefined;
  }
  let at: ComponentRecord = parent;
  for (const alias of name.split('.')) {
    const next = at.children.find((child) => child.alias === alias);
    if (next === undefined) {
      const aliases = at.children.map((child) => child.alias);
      const best = closestMatch(alias, aliases.filter((a) => a !== record.alias || at !== parent));
      const near = best !== undefined && editDistance(alias, best) <= Math.max(2, Math.floor(alias.length / 3)) ? best : undefined;
      problems.push(
        new StopAfterError(
          `${what} names no component: ${at.path} has no child '${alias}'` +
            (near !== undefined ? `; did you mean '${near}'?` : '') +
            (aliases.length > 0 ? ` Its children: ${aliases.join(', ')}.` : ' It has no children.') +
            ` Names are relative to the parent ${parent.path}, as in its components: ('api.http' is the child http of the sibling api)`,
          record.path,
          name,
        ),
      );
      return undefined;
    }
    at = next;
  }
  if (at === record || isAncestor(record, at)) {
    problems.push(
      new StopAfterError(
        at === record
          ? `${what} names the component itself; name the sibling it must outlive`
          : `${what} names its own descendant ${at.path}: a component's children stop inside its own stop (its start-phase ` +
            `teardown runs before they stop, its prepare-phase teardown after them), so it cannot stop after them; register the ` +
            `teardown that must come last in prepare()`,
        record.path,
        name,
      ),
    );
    return undefined;
  }
  return at;
}

function isAncestor(candidate: ComponentRecord, record: ComponentRecord): boolean {
  for (let r = record.parent; r; r = r.parent) if (r === candidate) return true;
  return false;
}
