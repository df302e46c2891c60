import 'reflect-metadata';
import { Context, inject, injectable, token } from 'asphalt-ts';

interface Pool { query(sql: string): string }
const Db = token<Pool>('Db');
const RequestId = token<string>('RequestId');

@injectable()
class NoteService {
  constructor(
    @inject(Db) readonly db: Pool,                 // from the application context
    @inject(RequestId) readonly requestId: string, // a factory value, built once per request context
  ) {}
  list(): string {
    return `${this.requestId}: ${this.db.query('select * from notes')}`;
  }
}

export async function main(): Promise<string[]> {
  const app = new Context();
  app.addResource<Pool>({ query: (sql) => `ran ${sql}` }, { types: [Db] });
  let requests = 0;
  app.addResourceFactory(() => `request-${++requests}`, { types: [RequestId] });

  const lines: string[] = [];
  for (let i = 0; i < 2; i++) {
    // A request context: it creates an inversify container only because it resolves a class.
    await app.withChild((request) => lines.push(request.resolve(NoteService).list()));
  }
  await app.close();
  return lines; // ['request-1: ran select * from notes', 'request-2: ran select * from notes']
}
