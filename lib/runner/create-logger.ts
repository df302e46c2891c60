import pino from 'pino';
import type { LogFormat, LogLevel } from './config/runner-settings';
import type { Logger, LogMethod } from '../lifecycle/logger';


const order: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

/**
 * The runner's logger: pino writing JSON lines to stderr (stdout stays the application's), or a
 * human-readable format when asked or when stderr is a terminal.
 */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'auto', stream: NodeJS.WritableStream = process.stderr): Logger {
  const pretty = format === 'pretty' || (format === 'auto' && (stream as { isTTY?: boolean }).isTTY === true);
  if (!pretty) {
    const logger = pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
    const bind = (method: 'debug' | 'info' | 'warn' | 'error'): LogMethod => (obj, msg) =>
      typeof obj === 'string' ? logger[method](obj) : logger[method](obj, msg);
    return { debug: bind('debug'), info: bind('info'), warn: bind('warn'), error: bind('error'), isLevelEnabled: (l) => logger.isLevelEnabled(l) };
  }
  const min = order[level];
  const line =
    (name: 'debug' | 'info' | 'warn' | 'error'): LogMethod =>
    (obj, msg) => {
      if (order[name] < min) return;
      const text = typeof obj === 'string' ? obj : (msg ?? '');
      const time = new Date().toISOString().slice(11, 23);
      stream.write(`${time} ${name.toUpperCase().padEnd(5)} ${text}\n`);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    isLevelEnabled: (l) => (order[l as LogLevel] ?? 0) >= min,
  };
}
