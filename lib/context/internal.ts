/**
 * Module-private hooks of `Context` for the lifecycle and the service tasks. Not exported from the
 * package: users cannot reach them, and they may change in any release.
 */
export const announce = Symbol('asphalt.announce');
export const reportTaskFailure = Symbol('asphalt.reportTaskFailure');
export const hasOwnResource = Symbol('asphalt.hasOwnResource');
export const isVisible = Symbol('asphalt.isVisible');
export const closeIfIdle = Symbol('asphalt.closeIfIdle');
