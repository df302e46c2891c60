import type { Context } from '../context/context';
import { ComponentContext } from './component-context';

/**
 * Shows `what` in the startup timeout tree (and the slow-startup warning) as what the component
 * owning `ctx` is waiting for, while `work` runs; outside a component's start it only awaits `work`.
 * For components that wait on something outside the graph (a remote provider, a broker).
 *
 * @example
 * await reportWaiting(ctx, "a provider of Mailer on NATS", connectToRemote());
 */
export function reportWaiting<T>(ctx: Context, what: string, work: Promise<T>): Promise<T> {
  return ComponentContext.of(ctx)?.track(what, work) ?? work;
}
