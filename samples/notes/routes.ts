import type { FastifyInstance } from 'fastify';
import { Component, requires } from 'asphalt-ts';
import { HttpApp } from 'asphalt-ts/http';
import { NotesStore } from './store';

const noteBody = {
  type: 'object',
  required: ['title'],
  properties: { title: { type: 'string', minLength: 1 }, body: { type: 'string' } },
} as const;

/** Not found, as the HTTP component renders it: `{ statusCode: 404, error, message }`. */
const notFound = (id: number) => Object.assign(new Error(`note ${id} does not exist`), { statusCode: 404 });

/** The notes API: list, create, get, delete. */
export class NotesRoutes extends Component {
  @requires(HttpApp) app!: FastifyInstance;
  @requires(NotesStore) store!: NotesStore;

  override async start(): Promise<void> {
    const { app, store } = this;
    app.get('/notes', async () => store.list());
    app.post<{ Body: { title: string; body?: string } }>('/notes', { schema: { body: noteBody } }, async (request, reply) => {
      reply.code(201);
      return store.create(request.body.title, request.body.body ?? '');
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
