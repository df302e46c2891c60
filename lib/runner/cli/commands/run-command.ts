import { runApplication } from '../../run-application';
import { loadApplication } from '../load-application';
import type { CliArgs } from '../parse-cli-args';

/** `asphalt run FILE... [--set k=v]... [-s SERVICE]`: runs the application until it ends or is signalled. */
export async function runCommand(args: CliArgs): Promise<number> {
  const app = loadApplication(args);
  const { runner } = app.loaded;
  return runApplication(app.rootType, app.rootConfig, {
    ...app.resolveOptions,
    logLevel: runner.logLevel,
    logFormat: runner.logFormat,
    shutdownDeadline: runner.shutdownDeadline,
    blockedLoopThreshold: runner.blockedLoopThreshold,
  });
}
