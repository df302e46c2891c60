import { Component, provides } from 'asphalt-ts';

/** One note. */
export interface Note {
  id: number;
  title: string;
  body: string;
}

/** Where notes live: in memory for now (the SQL battery replaces this component, not the routes). */
export class NotesStore {
  readonly #notes = new Map<number, Note>();
  #nextId = 1;

  async list(): Promise<Note[]> {
    return [...this.#notes.values()];
  }

  async create(title: string, body: string): Promise<Note> {
    const note = { id: this.#nextId++, title, body };
    this.#notes.set(note.id, note);
    return note;
  }

  async get(id: number): Promise<Note | undefined> {
    return this.#notes.get(id);
  }

  async delete(id: number): Promise<boolean> {
    return this.#notes.delete(id);
  }
}

/** Publishes the {@link NotesStore}. */
@provides(NotesStore)
export class NotesStoreComponent extends Component {
  override async prepare(ctx: import('asphalt-ts').Context): Promise<void> {
    ctx.addResource(new NotesStore(), { types: [NotesStore] });
  }
}
