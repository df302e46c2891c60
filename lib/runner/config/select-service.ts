import type { ConfigIssue } from '../../errors';
import { childPath, describeKind, didYouMean, isPlainRecord, type PlainRecord, type SourceMap } from './config-sources';

/** The keys a service section may have (they are merged over the top-level ones). */
export const SERVICE_KEYS = ['component', 'runner'] as const;

/** The environment variable that selects a service when `-s` is not given. */
export const SERVICE_ENV = 'ASPHALT_SERVICE';

/** The result of {@link selectService}. */
export interface ServiceSelection {
  /** The selected service, `undefined` when the configuration has no services. */
  readonly name: string | undefined;
  /** Its section (`{}` for an empty one), to merge over the top level. */
  readonly section: PlainRecord | undefined;
}

/**
 * Picks the service from the `services:` mapping: `requested` (the `-s` option), else the
 * `ASPHALT_SERVICE` environment variable, else the only service, else the one named `default`.
 * Problems (no such service, none selectable, malformed sections) go to `issues`.
 *
 * @param sources sources of the whole configuration (paths `services.NAME...`).
 */
export function selectService(
  services: unknown,
  sources: SourceMap,
  requested: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
): ServiceSelection {
  const fromEnv = env[SERVICE_ENV] === '' ? undefined : env[SERVICE_ENV];
  const wanted = requested ?? fromEnv;
  const how = requested !== undefined ? `-s ${requested}` : `env ${SERVICE_ENV}`;
  if (services === undefined || services === null || (isPlainRecord(services) && Object.keys(services).length === 0)) {
    if (wanted !== undefined) {
      issues.push({ path: 'services', message: `service "${wanted}" was selected but the configuration defines no services`, source: how });
    }
    return { name: undefined, section: undefined };
  }
  if (!isPlainRecord(services)) {
    issues.push({
      path: 'services',
      message: `must be a mapping of service names to sections (component, runner), got ${describeKind(services)}`,
      value: services,
      source: sources.get('services')?.label,
    });
    return { name: undefined, section: undefined };
  }
  const names = Object.keys(services);
  for (const name of names) checkSection(name, services[name], sources, issues);

  let name: string | undefined;
  if (wanted !== undefined) {
    if (!names.includes(wanted)) {
      issues.push({
        path: 'services',
        message: `service "${wanted}" is not defined${didYouMean(wanted, names)}; the services are ${names.join(', ')}`,
        source: how,
      });
      return { name: undefined, section: undefined };
    }
    name = wanted;
  } else if (names.length === 1) {
    name = names[0];
  } else if (names.includes('default')) {
    name = 'default';
  } else {
    issues.push({
      path: 'services',
      message:
        `several services are defined (${names.join(', ')}) and none is selected: ` +
        `pass -s NAME (or set ${SERVICE_ENV}), or name one of them "default"`,
      source: sources.get('services')?.label,
    });
    return { name: undefined, section: undefined };
  }
  const section = services[name!];
  return { name, section: isPlainRecord(section) ? section : {} };
}

function checkSection(name: string, section: unknown, sources: SourceMap, issues: ConfigIssue[]): void {
  const path = childPath('services', name);
  if (section === null) return;
  if (!isPlainRecord(section)) {
    issues.push({
      path,
      message: `a service must be a mapping with ${SERVICE_KEYS.join(' and/or ')}, got ${describeKind(section)}`,
      value: section,
      source: sources.get(path)?.label,
    });
    return;
  }
  for (const key of Object.keys(section)) {
    if ((SERVICE_KEYS as readonly string[]).includes(key)) continue;
    issues.push({
      path: childPath(path, key),
      message: `unknown key in a service${didYouMean(key, SERVICE_KEYS)}; a service may have ${SERVICE_KEYS.join(' and ')}`,
      source: sources.get(childPath(path, key))?.label,
    });
  }
}
