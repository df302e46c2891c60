import { join } from 'node:path';
import { Context, token } from '../../lib';
import { exposeToWorkers } from '../../lib/workers/expose-to-workers';
import { defineTask } from '../../lib/workers/task';
import { WorkerCallError } from '../../lib/workers/worker-errors';
import { WorkerPool } from '../../lib/workers/worker-pool';

const fixtures = join(__dirname, 'fixtures', 'tasks.js');
const callMember = defineTask<(keyId: string, method: string, args?: unknown[]) => Promise<unknown>>(`${fixtures}:callMember`);

/** A resource with secrets in its fields, a private-by-convention method and one real method. */
class Credentials {
  apiKey = 'sk-secret';
  smtpPassword = 'hunter2';
  rotations = 0;
  readonly inline = async (): Promise<string> => 'inline';
  async sign(text: string): Promise<string> {
    return `signed(${text})`;
  }
  async _rotateKeys(): Promise<void> {
    this.rotations++;
    this.apiKey = 'rotated';
  }
  async rotate(): Promise<void> {
    return this._rotateKeys();
  }
}
class AuditedCredentials extends Credentials {
  async audit(): Promise<string> {
    return 'audited';
  }
}
const Creds = token<Credentials>('Creds');
const Listed = token<Credentials>('ListedCreds');
const Literal = token<{ send(to: string): Promise<string>; host: string }>('LiteralMailer');
exposeToWorkers(Creds, Literal);
exposeToWorkers(Listed, { methods: ['sign'] });

let pool: WorkerPool;
let ctx: Context;
let creds: AuditedCredentials;
beforeAll(() => {
  pool = new WorkerPool({ size: 1 });
});
afterAll(async () => {
  await pool.close();
});
beforeEach(() => {
  ctx = new Context();
  creds = new AuditedCredentials();
  ctx.addResource(creds, { types: [Creds] });
  ctx.addResource(new Credentials(), { types: [Listed] });
  ctx.addResource({ host: 'smtp.example.com', send: async (to: string) => `sent to ${to}` }, { types: [Literal] });
});
afterEach(async () => {
  await ctx.close();
});

type Outcome = { value: unknown } | { error: Error };
const call = (key: string, method: string, args?: unknown[]): Promise<Outcome> =>
  ctx.run(() => pool.run(callMember, key, method, args)).then(
    (value): Outcome => ({ value }),
    (error: unknown): Outcome => ({ error: error as Error }),
  );

describe('what a worker may call on an exposed resource', () => {
  it('its own methods, from the class and its base classes, and own function properties', async () => {
    expect(await call('Creds', 'sign', ['x'])).toEqual({ value: 'signed(x)' });
    expect(await call('Creds', 'audit')).toEqual({ value: 'audited' });
    expect(await call('Creds', 'rotate')).toEqual({ value: undefined });
    expect(await call('Creds', 'inline')).toEqual({ value: 'inline' });
    expect(await call('LiteralMailer', 'send', ['ann'])).toEqual({ value: 'sent to ann' });
  });

  it.each(['valueOf', 'hasOwnProperty', 'toString', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupGetter__', 'constructor'])(
    "never the Object.prototype member '%s'",
    async (method) => {
      const outcome = await call('Creds', method, ['apiKey']);
      expect('error' in outcome).toBe(true);
      const { error } = outcome as { error: Error };
      expect(error).toBeInstanceOf(WorkerCallError);
      expect(error.message).toContain(`workers may not call '${method}' of token(Creds) 'default'`);
      expect(error.message).toContain('workers may call: audit, inline, rotate, sign');
      expect(error.message).not.toContain('sk-secret');
    },
  );

  it('never a name starting with _, and the method does not run', async () => {
    const { error } = (await call('Creds', '_rotateKeys')) as { error: Error };
    expect(error).toBeInstanceOf(WorkerCallError);
    expect(error.message).toContain('names starting with _ are private');
    expect(creds.rotations).toBe(0);
    expect(creds.apiKey).toBe('sk-secret');
  });

  it.each(['apiKey', 'smtpPassword', 'host'])('never a field (%s)', async (field) => {
    const key = field === 'host' ? 'LiteralMailer' : 'Creds';
    const { error } = (await call(key, field)) as { error: Error };
    expect(error).toBeInstanceOf(WorkerCallError);
    expect(error.message).toContain('it is not a method (it is string)');
  });

  it('only the listed methods when exposeToWorkers was given { methods }', async () => {
    expect(await call('ListedCreds', 'sign', ['y'])).toEqual({ value: 'signed(y)' });
    const { error } = (await call('ListedCreds', 'rotate')) as { error: Error };
    expect(error).toBeInstanceOf(WorkerCallError);
    expect(error.message).toContain('it is not in the methods given to exposeToWorkers; workers may call: sign');
  });

  it('refuses a method list that is not a list of names', () => {
    expect(() => exposeToWorkers(token('Bad'), { methods: ['ok', 'not a name'] })).toThrow(/methods must be a list of method names/);
  });
});
