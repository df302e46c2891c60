import { componentMetadata } from '../components/component-metadata';
import { InvalidArgumentError } from '../errors';
import type { ComponentRecord } from '../graph/build-tree';
import { keyExpression, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';
import type { ComponentOverride } from './override-types';
import { childSpecs, classOf, parentPath, refText } from './override-tree';

/**
 * Throws when the replacement lacks a resource that the replaced component declared and that
 * another component requires: a fake without the original's `@provides` would otherwise surface
 * as "nothing provides it", far from the override that caused it.
 */
export function checkReplacementProvides(
  override: ComponentOverride,
  records: ReadonlyMap<string, ComponentRecord>,
  userConfig: unknown,
  basedir: string | undefined,
): void {
  const parent = records.get(parentPath(override.component));
  if (parent === undefined) return;
  const alias = override.component.slice(override.component.lastIndexOf('.') + 1);
  const original = childSpecs(parent, userConfig).find((s) => s.alias === alias);
  const originalType = original && classOf(original.type, basedir);
  if (originalType === undefined || originalType === override.with) return;
  const defaultName = alias.split('/')[1] ?? DEFAULT_NAME;
  const declared = componentMetadata(originalType).provides.map((p) => ({
    key: p.key,
    name: p.name === undefined ? defaultName : typeof p.name === 'string' ? p.name : undefined,
  }));
  if (declared.length === 0) return;
  const replacement = records.get(override.component);
  const replaced = replacement?.provides ?? componentMetadata(override.with).provides.map((p) => ({ key: p.key, name: typeof p.name === 'string' ? p.name : defaultName }));
  const lost = declared.filter((d) => !replaced.some((r) => r.key === d.key && (d.name === undefined || r.name === d.name)));
  const needed = lost.flatMap((d) => {
    const consumers = [...records.values()].filter(
      (r) => !r.path.startsWith(`${override.component}.`) && r.requires.some((q) => !q.optional && q.key === d.key && (d.name === undefined || q.name === d.name)),
    );
    return consumers.length === 0 ? [] : [{ ...d, consumers: consumers.map((c) => c.path) }];
  });
  if (needed.length === 0) return;
  const text = (d: { key: ResourceKey<unknown>; name: string | undefined }): string => refText(d.key, d.name ?? '(computed from its config)');
  const withName = override.with.name || 'the replacement';
  const decorators = needed.map((d) => `@provides(${keyExpression(d.key)}${d.name === undefined || d.name === defaultName ? '' : `, { name: '${d.name}' }`})`).join(' ');
  throw new InvalidArgumentError(
    `startTestApp: { component: '${override.component}', with: ${withName} } replaced ${override.component} (${originalType.name}), which provided ` +
      `${declared.map(text).join(', ')}; ${withName} does not provide ${needed.map(text).join(', ')}, which ` +
      `${needed.flatMap((d) => d.consumers).filter((c, i, all) => all.indexOf(c) === i).join(', ')} require${needed.length === 1 && needed[0]!.consumers.length === 1 ? 's' : ''}. ` +
      `Declare it on the fake and publish it in start(): ${decorators} class ${withName} extends Component { ... }, ` +
      `or override the resource instead: { resource: ${keyExpression(needed[0]!.key)}, value: fake }`,
  );
}
