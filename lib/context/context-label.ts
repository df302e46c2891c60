import { contextLabel } from './internal';

/** What the label functions read of a context (a `Context` is one), so this file needs no `Context`. */
interface Labelled {
  readonly parent: Labelled | undefined;
  [contextLabel]: string | undefined;
}

/**
 * Names what runs in `ctx` (and in its child contexts, unless they have a name of their own), for
 * the blocked-loop detector's reports. The lifecycle names each component's context after the
 * component's path (`root.api`); name your own contexts too, e.g. one per request.
 *
 * @example
 * const request = ctx.child();
 * labelContext(request, `GET ${url.pathname}`);
 * await request.run(() => handle(req, res));
 */
export function labelContext(ctx: Labelled, label: string): void {
  ctx[contextLabel] = label;
}

/** The labels of `ctx` and its parents, outermost first (`root.api > GET /x`): a component context gives its path. */
export function describeContext(ctx: Labelled | undefined): string | undefined {
  const parts: string[] = [];
  for (let at = ctx; at !== undefined && parts.length < 8; at = at.parent) {
    const label = at[contextLabel];
    if (label !== undefined) parts.unshift(label);
  }
  return parts.length > 0 ? parts.join(' > ') : undefined;
}
