import {
  AsphaltError,
  Context,
  token,
  type ResourceEvent,
} from '../../lib';
import { announce } from '../../lib/context/context-chain';

class Pool {
  constructor(readonly url = 'postgres://db') {}
}
abstract class Mailer {
  abstract send(to: string): string;
}
class SmtpMailer extends Mailer {
  send(to: string): string {
    return `smtp:${to}`;
  }
}
const Db = token<Pool>('Db');
const Port = token<number>('Port');

/** Expects `fn` to throw (or reject with) an asphalt error with this code, and returns it. */
async function failure(fn: () => unknown, code: string): Promise<Error & { code: string }> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AsphaltError);
    expect((error as { code: string }).code).toBe(code);
    return error as Error & { code: string };
  }
  throw new Error(`expected a failure with code ${code}, but nothing was thrown`);
}

describe('resources', () => {
  it('publishes a value under its own class by default and looks it up by exact key', async () => {
    const ctx = new Context();
    const pool = new Pool();
    ctx.addResource(pool);
    expect(ctx.getResourceNowait(Pool)).toBe(pool);
    expect(await ctx.getResource(Pool)).toBe(pool);
  });

  it('publishes under several keys at once, abstract classes and tokens included', async () => {
    const ctx = new Context();
    const mailer = new SmtpMailer();
    ctx.addResource(mailer, { types: [Mailer, SmtpMailer] });
    ctx.addResource(8080, { types: [Port], name: 'http' });
    expect(ctx.getResourceNowait(Mailer).send('a')).toBe('smtp:a');
    expect(ctx.getResourceNowait(SmtpMailer)).toBe(mailer);
    expect(await ctx.getResource(Port, 'http')).toBe(8080);
  });

  it('does not match a subclass when the resource was published under its base class only', async () => {
    const ctx = new Context();
    ctx.addResource(new SmtpMailer(), { types: [Mailer] });
    await failure(() => ctx.getResource(SmtpMailer), 'ASPHALT_RESOURCE_NOT_FOUND');
  });

  it('refuses a second resource with the same key and name, naming both', async () => {
    const ctx = new Context();
    ctx.addResource(new Pool(), { types: [Db], description: 'primary pool' });
    const error = await failure(
      () => ctx.addResource(new Pool(), { types: [Db], description: 'second pool' }),
      'ASPHALT_RESOURCE_CONFLICT',
    );
    expect(error.message).toContain("token(Db) 'default'");
    expect(error.message).toContain('primary pool');
    expect(error.message).toContain('second pool');
    expect(error.message).toContain("{ name: 'other' }");
  });

  it('keeps resources with the same key apart by name', () => {
    const ctx = new Context();
    const primary = new Pool('a');
    const replica = new Pool('b');
    ctx.addResource(primary, { types: [Db] });
    ctx.addResource(replica, { types: [Db], name: 'replica' });
    expect(ctx.getResourceNowait(Db)).toBe(primary);
    expect(ctx.getResourceNowait(Db, 'replica')).toBe(replica);
    expect([...ctx.getResources(Db)]).toEqual([
      ['default', primary],
      ['replica', replica],
    ]);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('rejects a %s value', async (_label, value) => {
    const ctx = new Context();
    await failure(() => ctx.addResource(value as unknown as Pool, { types: [Db] }), 'ASPHALT_INVALID_RESOURCE');
  });

  it.each(['', 'has space', 'dash-name', 'dot.name'])('rejects the resource name %j', async (name) => {
    const ctx = new Context();
    const error = await failure(() => ctx.addResource(new Pool(), { name }), 'ASPHALT_INVALID_RESOURCE');
    expect(error.message).toContain('/^\\w+$/');
  });

  it('rejects a key that is neither a class nor a token', async () => {
    const ctx = new Context();
    const error = await failure(
      () => ctx.addResource(new Pool(), { types: ['Db' as unknown as typeof Pool] }),
      'ASPHALT_INVALID_RESOURCE',
    );
    expect(error.message).toContain("token<T>('Id')");
    await failure(() => ctx.getResource('Db' as unknown as typeof Pool), 'ASPHALT_INVALID_RESOURCE');
  });

  it('asks for explicit types when a plain object or primitive is published without them', async () => {
    const ctx = new Context();
    const error = await failure(() => ctx.addResource({ a: 1 }), 'ASPHALT_INVALID_RESOURCE');
    expect(error.message).toContain('types:');
    await failure(() => ctx.addResource(42), 'ASPHALT_INVALID_RESOURCE');
  });

  it('reports a miss with the key, the name and the names that do exist', async () => {
    const ctx = new Context();
    ctx.addResource(new Pool(), { types: [Db], name: 'primary' });
    ctx.addResource(new Pool(), { types: [Db], name: 'replica' });
    const error = await failure(() => ctx.getResource(Db, 'primery'), 'ASPHALT_RESOURCE_NOT_FOUND');
    expect(error.message).toContain("token(Db) named 'primery'");
    expect(error.message).toContain("'primary', 'replica'");
    expect(error.message).toContain("did you mean 'primary'?");
    expect(error).toMatchObject({ key: 'token(Db)', resourceName: 'primery' });
  });

  it('tells how to publish a key that has no resource at all', async () => {
    const ctx = new Context();
    const error = await failure(() => ctx.getResourceNowait(Mailer), 'ASPHALT_RESOURCE_NOT_FOUND');
    expect(error.message).toContain('ctx.addResource(value, { types: [Mailer] })');
    expect(error.message).toContain('@provides(Mailer)');
  });

  it('returns undefined for an optional miss', async () => {
    const ctx = new Context();
    expect(await ctx.getResource(Db, undefined, { optional: true })).toBeUndefined();
    expect(ctx.getResourceNowait(Db, 'x', { optional: true })).toBeUndefined();
  });

  it('dispatches resourceAdded for values and factories', () => {
    const ctx = new Context();
    const events: ResourceEvent[] = [];
    ctx.resourceAdded.connect((event) => events.push(event));
    ctx.addResource(new Pool(), { types: [Db], description: 'main' });
    ctx.addResourceFactory(() => 1, { types: [Port], name: 'p' });
    expect(events).toEqual([
      { keys: [Db], name: 'default', description: 'main', isFactory: false },
      { keys: [Port], name: 'p', description: undefined, isFactory: true },
    ]);
  });
});

describe('resource factories', () => {
  it('builds the value on first lookup and at most once per context', async () => {
    const ctx = new Context();
    let calls = 0;
    ctx.addResourceFactory(() => new Pool(`#${++calls}`), { types: [Db] });
    expect(calls).toBe(0);
    const [a, b] = await Promise.all([ctx.getResource(Db), ctx.getResource(Db)]);
    expect(a).toBe(b);
    expect(ctx.getResourceNowait(Db)).toBe(a);
    expect(calls).toBe(1);
  });

  it('builds an async value once even when asked concurrently', async () => {
    const ctx = new Context();
    let calls = 0;
    ctx.addResourceFactory(
      async () => {
        calls++;
        await new Promise((r) => setImmediate(r));
        return new Pool();
      },
      { types: [Db] },
    );
    const values = await Promise.all([ctx.getResource(Db), ctx.getResource(Db), ctx.getResource(Db)]);
    expect(new Set(values).size).toBe(1);
    expect(calls).toBe(1);
  });

  it('lets a child context build its own value and tears each down with its own context', async () => {
    const parent = new Context();
    const disposed: string[] = [];
    let n = 0;
    parent.addResourceFactory(() => new Pool(`#${++n}`), {
      types: [Db],
      teardown: (pool) => void disposed.push(pool.url),
    });
    const child = parent.child();
    const fromChild = await child.getResource(Db);
    const fromParent = await parent.getResource(Db);
    expect(fromChild).not.toBe(fromParent);
    expect(fromChild.url).toBe('#1');
    await child.close();
    expect(disposed).toEqual(['#1']);
    await parent.close();
    expect(disposed).toEqual(['#1', '#2']);
  });

  it('disposes a built value that implements Symbol.asyncDispose when no teardown is given', async () => {
    const ctx = new Context();
    const events: string[] = [];
    class Conn {
      async [Symbol.asyncDispose]() {
        events.push('disposed');
      }
    }
    ctx.addResourceFactory(() => new Conn(), { types: [Conn] });
    await ctx.getResource(Conn);
    await ctx.close();
    expect(events).toEqual(['disposed']);
  });

  it('makes getResourceNowait throw AsyncResourceError for an async factory', async () => {
    const ctx = new Context();
    ctx.addResourceFactory(async () => new Pool(), { types: [Db] });
    const error = await failure(() => ctx.getResourceNowait(Db), 'ASPHALT_ASYNC_RESOURCE');
    expect(error.message).toContain('await ctx.getResource(Db)');
    expect(await ctx.getResource(Db)).toBeInstanceOf(Pool);
  });

  it('lets a failed async build be retried by the next lookup', async () => {
    const ctx = new Context();
    let attempt = 0;
    ctx.addResourceFactory(
      async () => {
        if (++attempt === 1) throw new Error('first attempt fails');
        return new Pool();
      },
      { types: [Db] },
    );
    await expect(ctx.getResource(Db)).rejects.toThrow('first attempt fails');
    expect(await ctx.getResource(Db)).toBeInstanceOf(Pool);
  });

  it('rejects a factory that returns nothing', async () => {
    const ctx = new Context();
    ctx.addResourceFactory(() => undefined as unknown as Pool, { types: [Db] });
    await failure(() => ctx.getResource(Db), 'ASPHALT_INVALID_RESOURCE');
  });

  it('requires the keys a factory publishes under', async () => {
    const ctx = new Context();
    const error = await failure(
      () => ctx.addResourceFactory(() => new Pool(), { types: [] }),
      'ASPHALT_INVALID_RESOURCE',
    );
    expect(error.message).toContain('{ types: [Db] }');
  });

  it('conflicts with a resource of the same key and name in the same context', async () => {
    const ctx = new Context();
    ctx.addResource(new Pool(), { types: [Db] });
    await failure(() => ctx.addResourceFactory(() => new Pool(), { types: [Db] }), 'ASPHALT_RESOURCE_CONFLICT');
  });
});

describe('child contexts', () => {
  it('see their parent resources, including ones added later, and the parent never sees theirs', async () => {
    const parent = new Context();
    const child = parent.child();
    const grandchild = new Context(child);
    const pool = new Pool();
    parent.addResource(pool, { types: [Db] });
    expect(grandchild.getResourceNowait(Db)).toBe(pool);
    child.addResource(new SmtpMailer(), { types: [Mailer] });
    expect(grandchild.getResourceNowait(Mailer)).toBeInstanceOf(SmtpMailer);
    await failure(() => parent.getResource(Mailer), 'ASPHALT_RESOURCE_NOT_FOUND');
  });

  it('may shadow a parent resource without changing what the parent sees', () => {
    const parent = new Context();
    const child = parent.child();
    parent.addResource(new Pool('parent'), { types: [Db] });
    expect(child.getResourceNowait(Db).url).toBe('parent');
    child.addResource(new Pool('child'), { types: [Db] });
    expect(child.getResourceNowait(Db).url).toBe('child');
    expect(parent.getResourceNowait(Db).url).toBe('parent');
  });

  it('keeps names apart across the chain: a child name does not hide another parent name', () => {
    const parent = new Context();
    const child = parent.child();
    parent.addResource(new Pool('p'), { types: [Db] });
    child.addResource(new Pool('r'), { types: [Db], name: 'replica' });
    expect(child.getResourceNowait(Db).url).toBe('p');
    expect([...child.getResources(Db).keys()].sort()).toEqual(['default', 'replica']);
    expect([...parent.getResources(Db).keys()]).toEqual(['default']);
  });

  it('are closed with their parent, before the parent runs its own teardown', async () => {
    const parent = new Context();
    const child = parent.child();
    const order: string[] = [];
    parent.addTeardownCallback(() => order.push('parent'));
    child.addTeardownCallback(() => order.push('child'));
    await parent.close();
    expect(order).toEqual(['child', 'parent']);
    expect(child.state).toBe('closed');
  });

  it('cannot be created from a closed context', async () => {
    const parent = new Context();
    await parent.close();
    await failure(() => parent.child(), 'ASPHALT_CONTEXT_STATE');
  });
});

describe('teardown', () => {
  it('runs callbacks last-in-first-out, one at a time, each with the error that ended the context', async () => {
    const ctx = new Context();
    const seen: string[] = [];
    let running = 0;
    for (const label of ['a', 'b', 'c']) {
      ctx.addTeardownCallback(async (error) => {
        expect(running).toBe(0);
        running++;
        await new Promise((r) => setImmediate(r));
        seen.push(`${label}:${(error as Error).message}`);
        running--;
      });
    }
    await ctx.close(new Error('boom'));
    expect(seen).toEqual(['c:boom', 'b:boom', 'a:boom']);
  });

  it('passes undefined when the context ended normally', async () => {
    const ctx = new Context();
    const seen: unknown[] = [];
    ctx.addTeardownCallback((error) => seen.push(error));
    await ctx.close();
    expect(seen).toEqual([undefined]);
  });

  it('runs every callback even when some throw, and raises all failures together', async () => {
    const ctx = new Context();
    const ran: string[] = [];
    ctx.addTeardownCallback(() => {
      ran.push('first');
      throw new Error('first failed');
    });
    ctx.addTeardownCallback(() => ran.push('middle'));
    ctx.addTeardownCallback(async () => {
      ran.push('last');
      throw new Error('last failed');
    });
    const error = (await failure(() => ctx.close(), 'ASPHALT_TEARDOWN')) as unknown as AggregateError;
    expect(ran).toEqual(['last', 'middle', 'first']);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors.map((e: Error) => e.message)).toEqual(['last failed', 'first failed']);
    expect(error.message).toContain('2 teardown step(s) failed');
    expect(error.message).toContain('first failed');
  });

  it('lets lookups and new resources work inside teardown, but refuses new factories', async () => {
    const ctx = new Context();
    ctx.addResource(new Pool(), { types: [Db] });
    const inside: unknown[] = [];
    ctx.addTeardownCallback(() => {
      inside.push(ctx.state, ctx.getResourceNowait(Db));
      ctx.addResource(1, { types: [Port] });
      ctx.addResourceFactory(() => 2, { types: [Port], name: 'late' });
    });
    const error = (await failure(() => ctx.close(), 'ASPHALT_TEARDOWN')) as unknown as AggregateError;
    expect(inside[0]).toBe('closing');
    expect(inside[1]).toBeInstanceOf(Pool);
    expect((error.errors[0] as { code: string }).code).toBe('ASPHALT_CONTEXT_STATE');
  });

  it('runs callbacks added during teardown too', async () => {
    const ctx = new Context();
    const ran: string[] = [];
    ctx.addTeardownCallback(() => {
      ran.push('outer');
      ctx.addTeardownCallback(() => ran.push('added late'));
    });
    await ctx.close();
    expect(ran).toEqual(['outer', 'added late']);
  });

  it('runs a resource teardown option with the value and the ending error', async () => {
    const ctx = new Context();
    const seen: unknown[] = [];
    const pool = new Pool();
    ctx.addResource(pool, { types: [Db], teardown: (value, error) => seen.push(value, error) });
    const ending = new Error('ending');
    await ctx.close(ending);
    expect(seen).toEqual([pool, ending]);
  });

  it('refuses every operation once closed, with the state in the message', async () => {
    const ctx = new Context();
    ctx.addResource(new Pool(), { types: [Db] });
    await ctx.close();
    expect(ctx.state).toBe('closed');
    const error = await failure(() => ctx.getResourceNowait(Db), 'ASPHALT_CONTEXT_STATE');
    expect(error.message).toContain('the context is closed');
    await failure(() => ctx.getResource(Db), 'ASPHALT_CONTEXT_STATE');
    await failure(() => ctx.addResource(new Pool()), 'ASPHALT_CONTEXT_STATE');
    await failure(() => ctx.addTeardownCallback(() => undefined), 'ASPHALT_CONTEXT_STATE');
  });

  it('is safe to close twice', async () => {
    const ctx = new Context();
    let runs = 0;
    ctx.addTeardownCallback(() => runs++);
    await Promise.all([ctx.close(), ctx.close()]);
    await ctx.close();
    expect(runs).toBe(1);
  });

  it('closes at the end of an `await using` block', async () => {
    const order: string[] = [];
    {
      await using ctx = new Context();
      ctx.addTeardownCallback(() => order.push('teardown'));
      order.push('body');
    }
    expect(order).toEqual(['body', 'teardown']);
  });
});

describe('waiting for announced resources', () => {
  it('makes getResource wait until the announced resource is published', async () => {
    const ctx = new Context();
    announce(ctx, Db, 'default', 'root.db');
    const child = ctx.child();
    const waiting = child.getResource(Db);
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    const pool = new Pool();
    ctx.addResource(pool, { types: [Db] });
    expect(await waiting).toBe(pool);
  });

  it('fails the waiters with the provider and its error when the provider fails', async () => {
    const ctx = new Context();
    const pending = announce(ctx, Db, 'default', 'root.db');
    const waiting = ctx.getResource(Db);
    pending.fail(new Error('connection refused'));
    const error = await failure(() => waiting, 'ASPHALT_RESOURCE_UNAVAILABLE');
    expect(error.message).toContain("token(Db) 'default'");
    expect(error.message).toContain('root.db');
    expect(error.message).toContain('connection refused');
  });

  it('fails the waiters when the context closes first', async () => {
    const ctx = new Context();
    announce(ctx, Db, 'default', 'root.db');
    const waiting = ctx.getResource(Db);
    await ctx.close();
    await failure(() => waiting, 'ASPHALT_RESOURCE_UNAVAILABLE');
  });

  it('makes getResourceNowait say the resource is announced but not yet published', async () => {
    const ctx = new Context();
    announce(ctx, Db, 'default', 'root.db');
    const error = await failure(() => ctx.getResourceNowait(Db), 'ASPHALT_ASYNC_RESOURCE');
    expect(error.message).toContain('root.db will provide it');
  });

  it('still fails at once for a resource nobody announced', async () => {
    const ctx = new Context();
    announce(ctx, Db, 'default', 'root.db');
    await failure(() => ctx.getResource(Db, 'other'), 'ASPHALT_RESOURCE_NOT_FOUND');
  });
});

describe('the current context', () => {
  it('follows ctx.run() across await boundaries and timers', async () => {
    const outer = new Context();
    const inner = outer.child();
    const seen = await outer.run(async () => {
      const first = Context.current();
      await new Promise((r) => setTimeout(r, 1));
      const nested = await inner.run(async () => {
        await Promise.resolve();
        return Context.current();
      });
      const after = await new Promise<Context>((r) => setImmediate(() => r(Context.current())));
      return [first, nested, after];
    });
    expect(seen).toEqual([outer, inner, outer]);
  });

  it('throws NoCurrentContextError outside of any context', async () => {
    const error = await failure(() => Context.current(), 'ASPHALT_NO_CURRENT_CONTEXT');
    expect(error.message).toContain('ctx.run(() => ...)');
    expect(Context.tryCurrent()).toBeUndefined();
  });

  it('is the context itself inside its teardown callbacks and factories', async () => {
    const ctx = new Context();
    const seen: Context[] = [];
    ctx.addResourceFactory(
      () => {
        seen.push(Context.current());
        return new Pool();
      },
      { types: [Db] },
    );
    ctx.getResourceNowait(Db);
    ctx.addTeardownCallback(() => seen.push(Context.current()));
    await ctx.close();
    expect(seen).toEqual([ctx, ctx]);
  });
});

describe('keys', () => {
  it('work when the class or token is frozen', () => {
    const Frozen = Object.freeze(class Frozen {});
    const FrozenToken = Object.freeze(token<string>('FrozenToken'));
    const ctx = new Context();
    ctx.addResource(new Frozen(), { types: [Frozen] });
    ctx.addResource('x', { types: [FrozenToken], name: 'n' });
    expect(ctx.getResourceNowait(Frozen)).toBeInstanceOf(Frozen);
    expect(ctx.getResourceNowait(FrozenToken, 'n')).toBe('x');
  });
});
