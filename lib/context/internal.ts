/**
 * Module-private hooks of `Context` for the lifecycle and the service tasks. Not exported from the
 * package: users cannot reach them, and they may change in any release.
 */
export const closeIfIdle = Symbol('asphalt.closeIfIdle');
/** Makes a `ContextOwner` decide publishing and teardown for the context (a component's context). */
export const attachOwner = Symbol('asphalt.attachOwner');
/** The `ContextOwner` attached to the context, if any. */
export const ownerOf = Symbol('asphalt.ownerOf');
/** Stops waiting for a close in progress (a stop timeout): see `TeardownStack.abandon`. */
export const abandonClose = Symbol('asphalt.abandonClose');
/** The open child contexts. */
export const openChildren = Symbol('asphalt.openChildren');
/** The context's label for the blocked-loop detector (`labelContext`): a slot, not a WeakMap entry. */
export const contextLabel = Symbol('asphalt.label');
/** The context's transaction scope (`attachTransactionScope`): a slot, not a WeakMap entry (cheaper to collect). */
export const transactionScope = Symbol('asphalt.transactionScope');
