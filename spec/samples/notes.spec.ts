import { join } from 'node:path';
import { freePort } from '../bridge/nats-server';
import { repo, startCli, waitForOutput } from '../runner/cli/run-cli';
import { usePostgres } from '../sql/postgres-server';

jest.setTimeout(30_000);

const pg = usePostgres('notes');
const databases: [string, () => { args: string[]; env: Record<string, string> }][] = [
  ['on SQLite (the default)', () => ({ args: [], env: {} })],
  ['on PostgreSQL (-s postgres)', () => ({ args: ['-s', 'postgres'], env: { NOTES_DATABASE_URL: pg().databaseUrl } })],
];

describe.each(databases)('the notes sample %s', (_name, database) => {
  it('serves list, create, get and delete over HTTP, reports ready, and drains at SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { args, env } = database();
    const app = startCli(['run', join(repo, 'samples', 'notes', 'config.yaml'), ...args], { NOTES_PORT: String(port), ...env });
    try {
      await waitForOutput(app.output, `root.http listening on ${base}`);
      expect(app.output()).toContain('sql: applied 1 migration(s): 001_notes.sql');
      expect(app.output()).toContain('routes: root.http.notes: GET /notes, POST /notes, GET /notes/:id, DELETE /notes/:id');

      const created = await fetch(`${base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'milk', body: '2 l' }) });
      expect(created.status).toBe(201);
      const note = (await created.json()) as { id: number };
      expect(note).toEqual({ id: 1, title: 'milk', body: '2 l' });
      expect(await (await fetch(`${base}/notes`)).json()).toEqual([note]);
      expect(await (await fetch(`${base}/notes/1`)).json()).toEqual(note);

      const invalid = await fetch(`${base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });

      expect((await fetch(`${base}/notes/1`, { method: 'DELETE' })).status).toBe(204);
      const missing = await fetch(`${base}/notes/1`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'note 1 does not exist' });

      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        info: { lifecycle: { status: 'up', state: 'ready' }, 'sql:default': { status: 'up', waiting: 0 } },
      });
    } finally {
      app.child.kill('SIGTERM');
    }
    const result = await app.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/root\.http stopped: \d+ request\(s\) drained, 0 cut, 0 refused/);
  });
});
