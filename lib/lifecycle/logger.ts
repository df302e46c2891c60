import { token, type Token } from '../resources/token';

/** One logging method, pino style: `log({ path }, 'message')` or `log('message')`. */
export type LogMethod = (objOrMessage: object | string, message?: string) => void;

/** The logger asphalt-ts writes to; a pino logger fits as it is. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** pino's check; when present and false for 'debug', per-component debug lines are not built. */
  isLevelEnabled?(level: string): boolean;
}

const write =
  (level: string): LogMethod =>
  (objOrMessage, message) => {
    const text = typeof objOrMessage === 'string' ? objOrMessage : (message ?? '');
    process.stderr.write(`asphalt ${level}: ${text}\n`);
  };

const ignore: LogMethod = () => undefined;

/** The default: warnings and errors to stderr, nothing else (a stall is never silent). */
export const stderrLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: write('warn'),
  error: write('error'),
  isLevelEnabled: (level) => level === 'warn' || level === 'error',
};

/** Logs nothing. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore, isLevelEnabled: () => false };

/**
 * The application's logger as a resource: `bootstrap` publishes the logger it was given (the
 * runner's pino logger under `asphalt run`) in the application context under this key.
 *
 * @example
 * class Notifier extends Component {
 *   @requires(Logger) logger!: Logger;
 * }
 */
export const Logger: Token<Logger> = token<Logger>('Logger');
