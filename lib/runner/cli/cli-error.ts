import { AsphaltError } from '../../errors';

/** Bad command-line usage: an unknown command or flag, a missing argument. Exit code 2. */
export class CliUsageError extends AsphaltError {
  static override readonly code = 'ASPHALT_CLI_USAGE';
}
