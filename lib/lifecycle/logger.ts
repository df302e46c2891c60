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
  /**
   * pino's `child`: a logger that adds `bindings` to every line. A component's `Logger` is
   * `child({ component: path })` of the application's logger (a wrapper adding the field when absent).
   */
  child?(bindings: Record<string, unknown>): Logger;
}

const write =
  (level: string, prefix: string): LogMethod =>
  (objOrMessage, message) => {
    const text = typeof objOrMessage === 'string' ? objOrMessage : (message ?? '');
    process.stderr.write(`asphalt ${level}: ${prefix}${text}\n`);
  };

const ignore: LogMethod = () => undefined;

function stderrLoggerTagged(component: unknown): Logger {
  const prefix = typeof component === 'string' ? `[${component}] ` : '';
  return {
    debug: ignore,
    info: ignore,
    warn: write('warn', prefix),
    error: write('error', prefix),
    isLevelEnabled: (level) => level === 'warn' || level === 'error',
    child: (bindings) => stderrLoggerTagged(bindings['component'] ?? component),
  };
}

/** The default: warnings and errors to stderr, nothing else (a stall is never silent). */
export const stderrLogger: Logger = stderrLoggerTagged(undefined);

/** Logs nothing. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  isLevelEnabled: () => false,
  child: () => silentLogger,
};

/**
 * The application's logger as a resource: `bootstrap` publishes the logger it was given (the
 * runner's pino logger under `asphalt run`) in the application context under this key. A
 * component (its `@requires(Logger)` property, or `ctx.getResource(Logger)` from its context)
 * gets a child that tags each line with its path: `{ component: 'root.db' }` in JSON, `[root.db]`
 * in the pretty format.
 *
 * @example
 * class Notifier extends Component {
 *   @requires(Logger) logger!: Logger;
 * }
 */
export const Logger: Token<Logger> = token<Logger>('Logger');
