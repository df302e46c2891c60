/** Module-private hooks of `Component`; not exported from the package. */
export const childDeclarations = Symbol('asphalt.childDeclarations');
