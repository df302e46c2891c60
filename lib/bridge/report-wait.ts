import type { Context } from '../context/context';
import { ComponentContext } from '../lifecycle/component-context';

/**
 * Shows `what` in the startup timeout tree (and the slow-startup warning) as what the component
 * is waiting for, while `work` runs. Internal.
 *
 * The lifecycle has no public hook for this yet: it lists the `getResource` calls in progress
 * (`ComponentContext.waits`), so the bridge adds its own wait there.
 */
export async function reportWait<T>(ctx: Context, what: string, work: Promise<T>): Promise<T> {
  const waits = ctx instanceof ComponentContext ? ctx.waits : undefined;
  waits?.add(what);
  try {
    return await work;
  } finally {
    waits?.delete(what);
  }
}
