import { componentMetadata } from '../../../components/component-metadata';
import { discoverComponentTypes } from '../../../components/discover-component-types';
import { configClassOf } from '../../../components/config-class-of';
import { resolveComponentType } from '../../../components/resolve-component-type';
import { describeConfig } from '../../../config/describe-config';
import { describeKey } from '../../../resources/resource-key';
import type { CliArgs } from '../parse-cli-args';
import { installTypeScriptHook } from '../typescript-hook';

/** `asphalt describe TYPE`: a component's config options, what it provides and requires. */
export function describeCommand(args: CliArgs, out: NodeJS.WritableStream): number {
  const typeName = args.files[0]!;
  installTypeScriptHook(process.cwd());
  discoverComponentTypes(process.cwd());
  const type = resolveComponentType(typeName, `describe ${typeName}`, process.cwd());
  const meta = componentMetadata(type);
  const lines = [`${type.name} (${typeName})`];
  const name = (n: unknown) => (typeof n === 'function' ? '<from config>' : String(n ?? 'default'));
  for (const p of meta.provides) lines.push(`  provides ${describeKey(p.key)} '${name(p.name)}'${p.description ? ` - ${p.description}` : ''}`);
  for (const r of meta.requires) {
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
