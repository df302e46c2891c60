import { resolveGraph } from '../../../graph/resolve-graph';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

/**
 * What a component implements to take part in `asphalt migrate` (the SQL battery's `SqlComponent`
 * does): apply its pending migrations without starting the application, and say which it applied.
 * A global symbol, so the runner needs to import no battery.
 */
export const MIGRATE = Symbol.for('asphalt-ts.migrate');

interface Migratable {
  [MIGRATE](): Promise<readonly string[] | undefined>;
}

function isMigratable(value: unknown): value is Migratable {
  return typeof (value as Partial<Migratable>)[MIGRATE] === 'function';
}

/** `asphalt migrate FILE...`: applies the pending migrations of every component of the config that has them; starts nothing else. */
export async function migrateCommand(args: CliArgs, out: NodeJS.WritableStream): Promise<number> {
  const app = loadApplication(args);
  const { records } = resolveGraph(app.rootType, app.rootConfig, app.resolveOptions);
  const targets = records.filter((record) => isMigratable(record.instance));
  if (targets.length === 0) {
    out.write('nothing to migrate: no component of this config has migrations (e.g. type: sql with a migrations folder)\n');
    return 0;
  }
  for (const record of targets) {
    const applied = await (record.instance as unknown as Migratable)[MIGRATE]();
    if (applied === undefined) out.write(`${record.path}: no migrations folder configured\n`);
    else if (applied.length === 0) out.write(`${record.path}: up to date\n`);
    else out.write(`${record.path}: applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  }
  return 0;
}
