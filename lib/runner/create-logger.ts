import pino from 'pino';
import type { LogFormat, LogLevel } from './config/runner-settings';
import type { Logger, LogMethod } from '../lifecycle/logger';
import { describeErrorStack } from './describe-error-stack';

const order: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };
type Method = 'debug' | 'info' | 'warn' | 'error';

/**
 * The runner's logger: pino writing JSON lines to stderr (stdout stays the application's), or a
 * human-readable format when asked or when stderr is a terminal. In the pretty format a line
 * with an `err` field is followed by the error's stack and the stacks of its causes, and a child
 * logger's `component` binding (what a component gets for `Logger`) prefixes its lines: `[root.db]`.
 */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'auto', stream: NodeJS.WritableStream = process.stderr): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && (stream as { isTTY?: boolean }).isTTY === true);
  if (!pretty) return wrapPino(pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true })));
  return prettyLogger(order[level], stream, {});
}

function wrapPino(logger: pino.Logger): Logger {
  const bind =
    (method: Method): LogMethod =>
    (obj, msg) =>
      typeof obj === 'string' ? logger[method](obj) : logger[method](obj, msg);
  return {
    debug: bind('debug'),
    info: bind('info'),
    warn: bind('warn'),
    error: bind('error'),
    isLevelEnabled: (l) => logger.isLevelEnabled(l),
    child: (bindings) => wrapPino(logger.child(bindings)),
  };
}

function prettyLogger(min: number, stream: NodeJS.WritableStream, bindings: Record<string, unknown>): Logger {
  const prefix = typeof bindings['component'] === 'string' ? `[${bindings['component']}] ` : '';
  const line =
    (name: Method): LogMethod =>
    (obj, msg) => {
      if (order[name] < min) return;
      const text = `${prefix}${typeof obj === 'string' ? obj : (msg ?? '')}`;
      const time = new Date().toISOString().slice(11, 23);
      const err = typeof obj === 'string' ? undefined : (obj as { err?: unknown }).err;
      const stack = err === undefined ? '' : describeErrorStack(err, text);
      stream.write(`${time} ${name.toUpperCase().padEnd(5)} ${text}\n${stack}`);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    isLevelEnabled: (l) => (order[l as LogLevel] ?? 0) >= min,
    child: (more) => prettyLogger(min, stream, { ...bindings, ...more }),
  };
}
