import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap, Component, silentLogger } from '../../lib';
import { ConnectionUser, StallingClient, StallingMigrator } from './fixtures/stalling';

const fixture = 'spec/lifecycle/fixtures/stalling.ts';
const source = readFileSync(join(__dirname, 'fixtures', 'stalling.ts'), 'utf8').split('\n');
/** The 1-based line of the fixture that contains `text`. */
const lineOf = (text: string): number => source.findIndex((line) => line.includes(text)) + 1;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface TimeoutCause {
  code: string;
  pendingTree: string;
}

async function timeoutOf(children: Record<string, typeof Component>): Promise<{ error: Error; tree: string }> {
  class Root extends Component {
    constructor() {
      super();
      for (const [alias, type] of Object.entries(children)) this.addComponent(alias, type);
    }
  }
  const error = (await bootstrap(Root, {}, { logger: silentLogger }).then(
    () => {
      throw new Error('expected the startup to time out');
    },
    (e: unknown) => e,
  )) as Error & { cause: TimeoutCause };
  expect(error.cause.code).toBe('ASPHALT_STARTUP_TIMEOUT');
  return { error, tree: error.cause.pendingTree };
}

describe('the start timeout report', () => {
  it('names the class of every pending component and shows the helper where a stalled start() awaits, with its file and line', async () => {
    const { error, tree } = await timeoutOf({ client: StallingClient, user: ConnectionUser });
    const lines = tree.split('\n');
    expect(lines[0]).toMatch(/^root \(Root\) \[starting children [\d.]+ s\] for its children: client, user$/);
    const client = lines.findIndex((l) => l.startsWith('  root.client (StallingClient) [starting'));
    expect(lines[client]).toMatch(/in start\(\)\s+<-- timed out$/);
    // Right under the component: the innermost await first (the helper), then the start() that awaits it.
    expect(lines[client + 1]).toMatch(
      new RegExp(`^ {6}suspended at waitForHandshake \\(${escape(fixture)}:${lineOf('the line the stall report must show')}:\\d+\\)$`),
    );
    expect(lines[client + 2]).toMatch(new RegExp(`^ {16}at .*start.* \\(${escape(fixture)}:${lineOf('await waitForHandshake()')}:\\d+\\)$`));
    expect(tree).toMatch(/^ {2}root\.user \(ConnectionUser\) \[waiting [\d.]+ s\] for token\(Connection\) 'default' \(from root\.client\)$/m);
    // Only the application's frames: no Node internals, no asphalt-ts lifecycle or context code.
    expect(tree).not.toMatch(/node:internal|lib\/lifecycle|lib\/context/);
    expect(error.message).toContain(tree);
  });

  it('shows the whole chain of helpers a stalled prepare() is suspended in, innermost first', async () => {
    const { tree } = await timeoutOf({ migrator: StallingMigrator });
    const lines = tree.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  root.migrator (StallingMigrator) [preparing'));
    expect(lines[at]).toContain('in prepare()');
    const frames = lines.slice(at + 1).map((l) => /\((spec\/[^:]+):(\d+):\d+\)$/.exec(l)?.slice(1).join(':'));
    expect(frames).toEqual([
      `${fixture}:${lineOf('the inner frame the stall report must show')}`,
      `${fixture}:${lineOf('the outer frame the stall report must show')}`,
      `${fixture}:${lineOf('await applyMigrations()')}`,
    ]);
    expect(lines[at + 1]).toMatch(/^ {6}suspended at lockTable /);
  });

  it('shows nothing under a component that waits for its requirements or its children', async () => {
    const { tree } = await timeoutOf({ client: StallingClient, user: ConnectionUser });
    const lines = tree.split('\n');
    const frameLines = lines.filter((l) => /^\s+(suspended )?at /.test(l));
    expect(frameLines).toHaveLength(2);
    expect(lines.indexOf(frameLines[0]!)).toBe(lines.findIndex((l) => l.includes('root.client (StallingClient)')) + 1);
  });
});
