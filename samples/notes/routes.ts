import type { FastifyInstance } from 'fastify';
import { IsString, MinLength } from 'class-validator';
import { Component, component, requires } from 'asphalt-ts';
import { HttpApp } from 'asphalt-ts/http';
import { Mailer } from 'asphalt-ts/mailer';
import { NotesStore, type Note } from './store';

/** Config of {@link NotesRoutes}. */
export class NotesRoutesConfig {
  /** Who is told about each new note (a mail rendered from templates/note-created.*). */
  @IsString() @MinLength(3)
  notify = 'notes@example.com';
}

const noteBody = {
  type: 'object',
  required: ['title'],
  properties: { title: { type: 'string', minLength: 1 }, body: { type: 'string' } },
} as const;

/** Not found, as the HTTP component renders it: `{ statusCode: 404, error, message }`. */
const notFound = (id: number) => Object.assign(new Error(`note ${id} does not exist`), { statusCode: 404 });

const batchBody = {
  type: 'array',
  items: { type: 'object', required: ['title'], properties: { title: { type: 'string' }, body: { type: 'string' } } },
} as const;

/**
 * The notes API: list, create (one, or a batch in one transaction), get, delete. Each new note is
 * announced by mail, held until the request's transaction commits: a batch that fails halfway is
 * rolled back, and its mails are never sent.
 */
@component()
export class NotesRoutes extends Component {
  @requires(HttpApp) app!: FastifyInstance;
  @requires(NotesStore) store!: NotesStore;
  @requires(Mailer) mailer!: Mailer;

  constructor(readonly config: NotesRoutesConfig) {
    super();
  }

  override async start(): Promise<void> {
    const { app, store } = this;
    const create = async (title: string, body: string): Promise<Note> => {
      const note = await store.create(title, body);
      // In the request's context (Context.current()): sent once its transaction commits.
      await this.mailer.sendTemplate('note-created', { note }, { to: this.config.notify });
      return note;
    };
    app.get('/notes', async () => store.list());
    app.post<{ Body: { title: string; body?: string } }>('/notes', { schema: { body: noteBody } }, async (request, reply) => {
      reply.code(201);
      return create(request.body.title, request.body.body ?? '');
    });
    app.post<{ Body: { title: string; body?: string }[] }>('/notes/batch', { schema: { body: batchBody } }, async (request, reply) => {
      const notes: Note[] = [];
      for (const { title, body } of request.body) notes.push(await create(title, body ?? ''));
      reply.code(201);
      return notes;
    });
    app.get<{ Params: { id: number } }>('/notes/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } }, async (request) => {
      return (await store.get(request.params.id)) ?? Promise.reject(notFound(request.params.id));
    });
    app.delete<{ Params: { id: number } }>('/notes/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } } }, async (request, reply) => {
      if (!(await store.delete(request.params.id))) throw notFound(request.params.id);
      return reply.code(204).send();
    });
  }
}
