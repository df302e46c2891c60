/** A name in `stopAfter`: aliases (as in `components:`) joined by dots, relative to the parent. */
const STOP_AFTER_NAME = /^[A-Za-z_][\w-]*(\/\w+)?(\.[A-Za-z_][\w-]*(\/\w+)?)*$/;

/**
 * What is wrong with a `stopAfter` value (from `@component` or config), or `undefined` when it is
 * a list of names such as `['http', 'api.http']`. Internal.
 */
export function stopAfterProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) {
    return `expected a list of component names relative to the parent, e.g. ['http'], got ${JSON.stringify(value)}`;
  }
  for (const name of value as unknown[]) {
    if (typeof name !== 'string' || !STOP_AFTER_NAME.test(name)) {
      return (
        `expected component names relative to the parent (aliases as in 'components:', joined by dots for a ` +
        `sibling's child: 'api.http'), got ${JSON.stringify(name)}`
      );
    }
  }
  return undefined;
}
