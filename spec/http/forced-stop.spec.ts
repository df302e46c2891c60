import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, Context, requires } from 'asphalt-ts';
import type { FastifyInstance } from 'fastify';
import { HttpApp } from 'asphalt-ts/http';
import { SqlComponent, SqlDatabase, SqlSession } from 'asphalt-ts/sql';
import { deferred, rawClient, send, startHttp, stopAll, until } from './http-app';
import { startSql, stopAll as stopSql } from '../sql/fixtures';

// Issue 11, item 1: a request still running in its transaction when the stop's drain timeout
// passes must roll back (its context closes with an error), never commit half-done work.

let dir = '';
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'asphalt-forced-stop-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await stopAll();
  await stopSql();
});

/** `/notes/:id` inserts a note in the request's transaction, then waits for `gate` before answering. */
function notesRoutes(gate: Promise<void>, inserted: string[]) {
  class NotesRoutes extends Component {
    @requires(HttpApp) app!: FastifyInstance;
    // Required so that the HTTP component (with this child) stops before the database.
    @requires(SqlDatabase) db!: SqlDatabase;
    override async start(): Promise<void> {
      this.app.post<{ Params: { id: string } }>('/notes/:id', async (request) => {
        const session = await Context.current().getResource(SqlSession);
        await session.sql`INSERT INTO notes (id, body) VALUES (${request.params.id}, ${'half-done?'})`;
        inserted.push(request.params.id);
        if (request.params.id.startsWith('slow')) await gate;
        return { saved: request.params.id };
      });
    }
  }
  return NotesRoutes;
}

async function notesIn(url: string): Promise<string[]> {
  const { db } = await startSql({ url });
  const { rows } = await db.query<{ id: string }>('SELECT id FROM notes ORDER BY id');
  return rows.map((row) => row.id);
}

describe('a stop that cuts a request still in its transaction', () => {
  it('rolls the request back (its context closes with an error), while a request that finished stays committed', async () => {
    const url = `sqlite:${join(dir, 'notes.sqlite')}`;
    const setup = await startSql({ url });
    await setup.db.query('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    await stopSql();

    const gate = deferred();
    const inserted: string[] = [];
    const running = await startHttp(notesRoutes(gate.promise, inserted), {
      http: { drainTimeout: 200 },
      siblings: { db: { type: SqlComponent, url } },
    });
    const finished = await send(`${running.url}/notes/fast-1`, { method: 'POST' });
    expect(finished.status).toBe(200);

    const client = await rawClient(running.port);
    client.write(`POST /notes/slow-1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
    await until(() => inserted.includes('slow-1'), 'the slow request inserted its note', 30_000);

    await running.app.stop();
    await client.closed;
    gate.resolve();

    // The cut request got no answer, and its insert was rolled back; the finished one was committed.
    expect(client.received()).toBe('');
    expect(await notesIn(url)).toEqual(['fast-1']);
  });
});
