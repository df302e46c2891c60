/**
 * Module-private hooks of `Context` for the lifecycle and the service tasks. Not exported from the
 * package: users cannot reach them, and they may change in any release.
 */
export const announce = Symbol('asphalt.announce');
export const reportTaskFailure = Symbol('asphalt.reportTaskFailure');
export const hasOwnResource = Symbol('asphalt.hasOwnResource');
export const isVisible = Symbol('asphalt.isVisible');
export const closeIfIdle = Symbol('asphalt.closeIfIdle');
/** The context's label for the blocked-loop detector (`labelContext`): a slot, not a WeakMap entry. */
export const contextLabel = Symbol('asphalt.label');
/**
 * Whether a context keeps the values its lookups find. A component's context does not: it looks each
 * requirement up once or twice during startup, and a cache per component would outlive that.
 */
export const cachesLookups = Symbol('asphalt.cachesLookups');
