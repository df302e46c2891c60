import { resolveGraph } from '../../../graph/resolve-graph';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

/**
 * What a component implements to take part in `asphalt schedules` (the scheduler battery's
 * `SchedulerComponent` does): its schedules with their next fire times, without starting. A
 * global symbol, so the runner needs to import no battery.
 */
export const LIST_SCHEDULES = Symbol.for('asphalt-ts.schedules');

interface ScheduleLister {
  [LIST_SCHEDULES](count: number): ReadonlyArray<{ id: string; job: string; trigger: string; next: readonly Date[] }>;
}

function isLister(value: unknown): value is ScheduleLister {
  return typeof (value as Partial<ScheduleLister>)[LIST_SCHEDULES] === 'function';
}

/** `asphalt schedules FILE...`: lists the schedules of every scheduler of the config with their next 3 fire times; starts nothing. */
export function schedulesCommand(args: CliArgs, out: NodeJS.WritableStream): number {
  const app = loadApplication(args);
  const { records } = resolveGraph(app.rootType, app.rootConfig, app.resolveOptions);
  const schedulers = records.filter((record) => isLister(record.instance));
  if (schedulers.length === 0) {
    out.write('no schedules: no component of this config is a scheduler (type: scheduler)\n');
    return 0;
  }
  for (const record of schedulers) {
    const schedules = (record.instance as unknown as ScheduleLister)[LIST_SCHEDULES](3);
    out.write(`${record.path}: ${schedules.length} schedule(s)\n`);
    for (const schedule of schedules) {
      const next = schedule.next.length === 0 ? 'never again' : schedule.next.map((d) => d.toISOString()).join(', ');
      out.write(`  ${schedule.id}  job ${schedule.job}  ${schedule.trigger}  next: ${next}\n`);
    }
  }
  return 0;
}
