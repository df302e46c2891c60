import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, repo, runCli } from './run-cli';

jest.setTimeout(90_000);

describe('asphalt describe', () => {
  it('finds a registered type by its class name, and by package:Export when the package declares it under a subpath', async () => {
    const byClass = await runCli(['describe', 'WorkerPoolComponent']);
    expect(byClass.code).toBe(0);
    expect(byClass.stdout).toMatch(/^WorkerPoolComponent \(type: worker-pool\)\n  provides WorkerPool 'default'/);
    const byPackage = await runCli(['describe', 'asphalt-ts:WorkerPoolComponent']);
    expect(byPackage.code).toBe(0);
    expect(byPackage.stdout).toMatch(/^WorkerPoolComponent \(asphalt-ts:WorkerPoolComponent\)\n  provides WorkerPool 'default'/);
  });

  it('lists a requirement declared on the class and on a property once', async () => {
    const result = await runCli(['describe', `${join(fixtures, 'db-apps')}:Twice`]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/requires Pool 'default'/g)).toEqual(["requires Pool 'default'"]);
    expect(result.stdout).toContain("requires Pool 'default' -> .pool");
  });

  it('says what an export that is not a component is, with the right article', async () => {
    const result = await runCli(['describe', 'asphalt-ts:Logger']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("export 'Logger' of module 'asphalt-ts' is not a component class (it is a token (token(Logger)), a resource key)");
    expect(result.stderr).not.toMatch(/\ba object\b/);
  });
});

describe('the offload sample', () => {
  it('its comment gives a --set path that the config accepts', async () => {
    const config = join(repo, 'samples', 'offload', 'config.yaml');
    const flag = /--set ([^\s)]+)/.exec(readFileSync(config, 'utf8'))![1]!;
    expect(flag).toBe('component.components.images.mode=inline');
    const result = await runCli(['check', config, '--set', flag]);
    expect(result).toMatchObject({ code: 0 });
  });
});
