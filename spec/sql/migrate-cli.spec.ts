import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, runCli, writeConfigs } from '../runner/cli/run-cli';

// A config outside the repository: the type is named by the built module (short names come from a package.json above the config).
const sqlType = `${join(repo, 'dist', 'lib', 'sql', 'index.js')}:SqlComponent`;

jest.setTimeout(30_000);

it('asphalt migrate applies the pending migrations of the config\'s SQL components, then nothing the second time', async () => {
  const files = writeConfigs({});
  const migrations = join(files.dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '001_notes.sql'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL);');
  writeFileSync(join(migrations, '002_seed.sql'), "INSERT INTO notes (title) VALUES ('first');");
  const config = join(files.dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'component:',
      '  type: container',
      '  components:',
      `    db: { type: "${sqlType}", url: "sqlite:${join(files.dir, 'app.sqlite')}", migrations: "${migrations}" }`,
      `    sql/cache: { type: "${sqlType}" }`,
    ].join('\n'),
  );
  const first = await runCli(['migrate', config]);
  expect(first.stderr).toBe('');
  expect(first.stdout).toBe('root.db: applied 2 migration(s): 001_notes.sql, 002_seed.sql\nroot.sql/cache: no migrations folder configured\n');
  expect(first.code).toBe(0);
  const second = await runCli(['migrate', config]);
  expect(second.stdout).toContain('root.db: up to date\n');
  expect(second.code).toBe(0);
});
