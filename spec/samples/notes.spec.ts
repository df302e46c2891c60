import { join } from 'node:path';
import { TestSmtpServer } from 'asphalt-ts/testing/mailer';
import { freePort } from '../bridge/nats-server';
import { repo, startCli, waitForOutput } from '../runner/cli/run-cli';
import { usePostgres } from '../sql/postgres-server';
import { useRedisServer } from '../redis/redis-server';

jest.setTimeout(30_000);

const pg = usePostgres('notes');
const databases: [string, () => { args: string[]; env: Record<string, string> }][] = [
  ['on SQLite (the default)', () => ({ args: [], env: {} })],
  ['on PostgreSQL (-s postgres)', () => ({ args: ['-s', 'postgres'], env: { NOTES_DATABASE_URL: pg().databaseUrl } })],
];

const smtp = new TestSmtpServer();
beforeAll(() => smtp.start());
afterAll(() => smtp.stop());
beforeEach(() => smtp.clear());

/** Environment that points the sample's mailer at the spec's SMTP server (and proves it at start). */
const mailEnv = (): Record<string, string> => ({ NOTES_SMTP_PORT: String(smtp.port), NOTES_SMTP_VERIFY: 'true', NOTES_NOTIFY: 'team@example.com' });

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(databases)('the notes sample %s', (_name, database) => {
  it('serves list, create, get and delete over HTTP, reports ready, and drains at SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { args, env } = database();
    const app = startCli(['run', join(repo, 'samples', 'notes', 'config.yaml'), ...args], { NOTES_PORT: String(port), ...mailEnv(), ...env });
    try {
      await waitForOutput(app.output, `root.http listening on ${base}`);
      expect(app.output()).toContain('sql: applied 1 migration(s): 001_notes.sql');
      expect(app.output()).toContain('routes: root.http.notes: GET /notes, POST /notes, POST /notes/batch, GET /notes/:id, DELETE /notes/:id');

      const created = await fetch(`${base}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'milk', body: '2 l' }) });
      expect(created.status).toBe(201);
      const note = (await created.json()) as { id: number };
      expect(note).toEqual({ id: 1, title: 'milk', body: '2 l' });
      expect(await (await fetch(`${base}/notes`)).json()).toEqual([note]);
      expect(await (await fetch(`${base}/notes/1`)).json()).toEqual(note);

      const [mail] = await smtp.waitFor(1);
      expect(mail).toMatchObject({
        envelope: { from: 'notes@example.com', to: ['team@example.com'] },
        subject: 'New note: milk',
        text: 'Note 1 was created.\n\nmilk\n2 l\n',
        html: '<h1>milk</h1>\n<p>2 l</p>\n<p><small>note 1</small></p>\n',
      });

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
        info: { lifecycle: { status: 'up', state: 'ready' }, 'sql:default': { status: 'up', waiting: 0 }, mailer: { status: 'up' }, templates: { status: 'up' } },
      });
    } finally {
      app.child.kill('SIGTERM');
    }
    const result = await app.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/root\.http stopped: \d+ request\(s\) drained, 0 cut, 0 refused/);
  });
});

describe('the notes sample (SQLite)', () => {
  it('mails each note of a batch once it commits, and nothing for a batch that rolls back', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const app = startCli(['run', join(repo, 'samples', 'notes', 'config.yaml')], { NOTES_PORT: String(port), ...mailEnv() });
    try {
      await waitForOutput(app.output, `root.http listening on ${base}`);
      const failed = await post(`${base}/notes/batch`, [{ title: 'kept?' }, { title: '  ' }]);
      expect(failed.status).toBe(400);
      expect(await (await fetch(`${base}/notes`)).json()).toEqual([]);

      const batch = await post(`${base}/notes/batch`, [{ title: 'a <b>' }, { title: 'c', body: 'd & e' }]);
      expect(batch.status).toBe(201);
      await smtp.waitFor(2);
      // The two mails of a batch travel on their own connections: any order.
      expect(smtp.messages.map((m) => m.subject).sort()).toEqual(['New note: a <b>', 'New note: c']);
      expect(smtp.messages.find((m) => m.subject === 'New note: a <b>')!.html).toBe('<h1>a &lt;b&gt;</h1>\n<p></p>\n<p><small>note 1</small></p>\n');
    } finally {
      app.child.kill('SIGTERM');
    }
    expect((await app.done).code).toBe(0);
    // The mailer drains every delivery before the process exits: the rolled-back batch's mail
    // ('New note: kept?', queued before the batch failed) would be here if it had leaked.
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual(['New note: a <b>', 'New note: c']);
  });
});

describe('the notes sample with its jobs (-s jobs)', () => {
  const redis = useRedisServer();

  it('runs the digest schedule, which reads the notes and queues their report, rendered on the worker pool', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { NOTES_PORT: String(port), NOTES_REDIS_PORT: String(redis().port), NOTES_DIGEST_EVERY: '500', NOTES_QUEUE: `notes-spec-${process.pid}`, ...mailEnv() };
    const app = startCli(['run', join(repo, 'samples', 'notes', 'config.yaml'), '-s', 'jobs'], env);
    try {
      await waitForOutput(app.output, `root.http listening on ${base}`);
      expect((await post(`${base}/notes`, { title: 'milk', body: '2 l' })).status).toBe(201);
      // A digest that ran after the note committed reads it, and its report is rendered off the loop.
      await waitForOutput(app.output, 'digest frequent-digest: 1 note(s), report queued');
      await waitForOutput(app.output, ': 1 note(s), checksum ');
      expect(app.output()).toMatch(/report \d{4}-\d{2}-\d{2}: 1 note\(s\), checksum [0-9a-f]{12}, on a worker thread: true/);
    } finally {
      app.child.kill('SIGTERM');
    }
    expect((await app.done).code).toBe(0);
  }, 120_000);
});
