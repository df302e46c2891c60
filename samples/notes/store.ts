import { Component, Context, provides, requires } from 'asphalt-ts';
import { sql, SqlSession } from 'asphalt-ts/sql';

/** One note. */
export interface Note {
  id: number;
  title: string;
  body: string;
}

/**
 * Where notes live: the `sql` component's database, through the session of the request's context,
 * so each request is one transaction (committed before its response is sent, rolled back when it
 * fails). SQLite by default, PostgreSQL with `-s postgres`: the same statements on both.
 */
export class NotesStore {
  async list(): Promise<Note[]> {
    return (await session()).sql<Note>`SELECT id, title, body FROM notes ORDER BY id`;
  }

  /** Adds a note; a blank title is refused (400), which rolls back the request's transaction. */
  async create(title: string, body: string): Promise<Note> {
    if (title.trim() === '') throw Object.assign(new Error('a note needs a title that is not blank'), { statusCode: 400 });
    const [note] = await (await session()).sql<Note>`INSERT INTO notes (title, body) VALUES (${title}, ${body}) RETURNING id, title, body`;
    return note!;
  }

  async get(id: number): Promise<Note | undefined> {
    const [note] = await (await session()).sql<Note>`SELECT id, title, body FROM notes WHERE id = ${id}`;
    return note;
  }

  async delete(id: number): Promise<boolean> {
    return (await (await session()).query(sql`DELETE FROM notes WHERE id = ${id}`)).rowCount > 0;
  }
}

/** The request's session (`Context.current()` is the request's context in a route handler). */
function session(): Promise<SqlSession> {
  return Context.current().getResource(SqlSession);
}

/** Publishes the {@link NotesStore} once the database is there. */
@provides(NotesStore)
@requires(SqlSession)
export class NotesStoreComponent extends Component {
  override async start(ctx: Context): Promise<void> {
    ctx.addResource(new NotesStore(), { types: [NotesStore] });
  }
}
