import type { Component } from '../../../components/component';
import { componentMetadata, effectiveRequires } from '../../../components/component-metadata';
import { registeredComponentNames, registeredComponentType } from '../../../components/component-registry';
import { ComponentTypeError } from '../../../errors';
import { discoverComponentTypes } from '../../../components/discover-component-types';
import { configClassOf } from '../../../components/config-class-of';
import { resolveComponentType } from '../../../components/resolve-component-type';
import { describeConfig } from '../../../config/describe-config';
import { describeKey } from '../../../resources/resource-key';
import type { CliArgs } from '../parse-cli-args';

type ComponentClass = abstract new (...args: never[]) => Component;
import { installTypeScriptHook } from '../typescript-hook';

/** `asphalt describe TYPE`: a component's config options, what it provides and requires. */
export function describeCommand(args: CliArgs, out: NodeJS.WritableStream): number {
  const typeName = args.files[0]!;
  installTypeScriptHook(process.cwd());
  discoverComponentTypes(process.cwd());
  const { type, label } = findType(typeName);
  const meta = componentMetadata(type);
  const lines = [`${type.name} (${label})`];
  const name = (n: unknown) => (typeof n === 'function' ? '<from config>' : String(n ?? 'default'));
  for (const p of meta.provides) lines.push(`  provides ${describeKey(p.key)} '${name(p.name)}'${p.description ? ` - ${p.description}` : ''}`);
  for (const r of effectiveRequires(meta)) {
    lines.push(`  requires ${describeKey(r.key)} '${name(r.name)}'${r.optional ? ' (optional)' : ''}${r.property ? ` -> .${r.property}` : ''}`);
  }
  const { startTimeout, stopTimeout, isolated, stopAfter } = meta.options;
  if (startTimeout || stopTimeout || isolated || stopAfter?.length) lines.push(`  options: ${JSON.stringify({ startTimeout, stopTimeout, isolated, stopAfter })}`);
  const configClass = configClassOf(type);
  if (typeof configClass !== 'function') lines.push('  config: none');
  else {
    lines.push(`  config (${configClass.name}):`);
    for (const option of describeConfig(configClass)) {
      const parts = [option.type, option.required ? 'required' : 'optional'];
      if (option.default !== undefined) parts.push(`default ${JSON.stringify(option.default)}`);
      if (option.constraints.length) parts.push(option.constraints.join(', '));
      lines.push(`    ${option.name}: ${parts.join('; ')}${option.description ? ` - ${option.description}` : ''}`);
    }
  }
  out.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * The type `TYPE` names: a registered short name, a `module:Export`, or (for this command, which
 * only looks) the class name of a registered type (`WorkerPoolComponent` for `worker-pool`).
 */
function findType(typeName: string): { type: ComponentClass; label: string } {
  try {
    return { type: resolveComponentType(typeName, `describe ${typeName}`, process.cwd()), label: typeName };
  } catch (error) {
    if (!(error instanceof ComponentTypeError) || typeName.includes(':')) throw error;
    const matches = registeredComponentNames()
      .map((entry) => entry.replace(/ \(.*\)$/, ''))
      .filter((short) => {
        const target = registeredComponentType(short);
        return typeof target === 'string' ? target.slice(target.lastIndexOf(':') + 1) === typeName : target?.name === typeName;
      });
    if (matches.length !== 1) throw error;
    return { type: resolveComponentType(matches[0]!, `describe ${typeName}`, process.cwd()), label: `type: ${matches[0]}` };
  }
}
