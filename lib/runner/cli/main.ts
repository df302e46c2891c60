import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import 'reflect-metadata';
import { AsphaltError } from '../../errors';
import { CliUsageError } from './cli-error';
import { checkCommand } from './commands/check-command';
import { describeCommand } from './commands/describe-command';
import { graphCommand } from './commands/graph-command';
import { migrateCommand } from './commands/migrate-command';
import { runCommand } from './commands/run-command';
import { helpText } from './help-text';
import { parseCliArgs } from './parse-cli-args';

/**
 * The `asphalt` command line. Resolves with the exit code: 0 ok, 1 a problem with the config or
 * the application, 2 bad usage. Never throws.
 */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    switch (args.command) {
      case 'help':
        out.write(`${helpText(args.helpFor)}\n`);
        return 0;
      case 'version': {
        const pkg = JSON.parse(readFileSync(packageJsonPath(), 'utf8')) as { version: string };
        out.write(`asphalt-ts ${pkg.version}\n`);
        return 0;
      }
      case 'run':
        return await runCommand(args);
      case 'check':
        return checkCommand(args, out);
      case 'graph':
        return await graphCommand(args, out);
      case 'describe':
        return describeCommand(args, out);
      case 'migrate':
        return await migrateCommand(args, out);
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      err.write(`asphalt: ${error.message}\n`);
      return 2;
    }
    if (error instanceof AsphaltError) {
      err.write(`asphalt: ${error.message}\n`);
      return 1;
    }
    err.write(`asphalt: unexpected internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** asphalt-ts's own package.json, from the sources (lib/runner/cli) or the build (dist/lib/runner/cli). */
function packageJsonPath(): string {
  const up = __dirname.includes(`${sep}dist${sep}`) ? ['..', '..', '..', '..'] : ['..', '..', '..'];
  return join(__dirname, ...up, 'package.json');
}
