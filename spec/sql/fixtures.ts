import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, type Application, type Logger } from 'asphalt-ts';
import { SqlComponent, SqlDatabase } from 'asphalt-ts/sql';

/** A logger that keeps what it was given, by level. */
export function recordingLogger(): Logger & { readonly lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (objOrMessage: object | string, message?: string): void =>
      void lines.push({ level, message: typeof objOrMessage === 'string' ? objOrMessage : (message ?? '') });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Starts an application whose root is a `SqlComponent` with `config`; stopped by `stopAll()`. */
export async function startSql(config: Record<string, unknown>, logger: Logger = recordingLogger()): Promise<{ app: Application; db: SqlDatabase }> {
  const app = await bootstrap(SqlComponent, config, { logger });
  started.push(app);
  return { app, db: await app.context.getResource(SqlDatabase) };
}

const started: Application[] = [];

/** Stops every app `startSql` started (call it in afterEach). */
export async function stopAll(): Promise<void> {
  for (const app of started.splice(0)) await app.stop().catch(() => undefined);
}

/** A temp folder removed in afterAll. */
export function useTempDir(): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'asphalt-sql-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}
