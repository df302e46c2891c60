import { describeKey, type ResourceKey } from '../resources/resource-key';

/**
 * The debug line for one publish of a component: `root.db published Db 'default' (the pool) in
 * start()`, saying which keys it did not declare with `@provides`. Internal.
 */
export function describePublish(
  path: string,
  keys: readonly ResourceKey<unknown>[],
  name: string,
  description: string | undefined,
  isFactory: boolean,
  phase: 'prepare' | 'start',
  undeclared: readonly ResourceKey<unknown>[],
): string {
  const what = `${isFactory ? 'a resource factory for ' : ''}${keys.map(describeKey).join(', ')} '${name}'`;
  const text = `${path} published ${what}${description ? ` (${description})` : ''} in ${phase}()`;
  if (undeclared.length === 0) return text;
  const list = undeclared.length === keys.length ? '' : ` (${undeclared.map(describeKey).join(', ')})`;
  return (
    `${text} without declaring it${list} with @provides ` +
    `(allowed; declare it so that consumers can @requires it and start after it)`
  );
}
