import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as contextTeardownExample } from '../../samples/snippets/context-teardown';
import { main as resolveExample } from '../../samples/snippets/resolve';
import { main as taskFactoryExample } from '../../samples/snippets/task-factory';
import { main as withChildExample } from '../../samples/snippets/with-child';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const snippet = (name: string): string => readFileSync(join(__dirname, '..', '..', 'samples', 'snippets', name), 'utf8').trim();

describe('the README snippets', () => {
  it('shows samples/snippets/resolve.ts verbatim, and it injects a parent resource and a request-scoped factory value', async () => {
    expect(readme).toContain(snippet('resolve.ts'));
    expect(await resolveExample()).toEqual(['request-1: ran select * from notes', 'request-2: ran select * from notes']);
  });

  it('shows samples/snippets/with-child.ts verbatim, and it commits a finished unit and rolls back a failed one', async () => {
    expect(readme).toContain(snippet('with-child.ts'));
    expect(await withChildExample()).toEqual(['commit', 'aborted', 'rollback']);
  });

  it('shows samples/snippets/context-teardown.ts verbatim, and its generator commits on a clean close and rolls back on a failed one', async () => {
    expect(readme).toContain(snippet('context-teardown.ts'));
    expect(await contextTeardownExample()).toEqual(['commit', 'release', 'rollback: Error: validation failed', 'release']);
  });

  it('shows samples/snippets/task-factory.ts verbatim, and it waits for a server to listen, cancels one task and stops the rest at close', async () => {
    expect(readme).toContain(snippet('task-factory.ts'));
    expect(await taskFactoryExample()).toEqual(['listening: true', 'running: echo-server, ticker', 'ticker stopped', 'after cancel: echo-server', 'server closed']);
  });
});
