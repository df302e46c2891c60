import 'reflect-metadata';
import { Context, ContextAbortedError, inject, injectable, ResourceNotFoundError, token } from '../../lib';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

class Db {
  constructor(readonly url: string) {}
}

describe('lookups through a chain of contexts', () => {
  it('regression: a grandchild that looked Db up in the root answers the middle context once it publishes its own (stale lookup cache)', () => {
    const root = new Context();
    const middle = root.child();
    const grandchild = middle.child();
    root.addResource(new Db('root'));
    expect(grandchild.getResourceNowait(Db).url).toBe('root');
    middle.addResource(new Db('middle'));
    expect(grandchild.getResourceNowait(Db).url).toBe('middle');
    expect(middle.child().getResourceNowait(Db).url).toBe('middle');
    expect(root.getResourceNowait(Db).url).toBe('root');
  });

  it('regression: getResources answers what the chain holds now, not what an earlier lookup saw', async () => {
    const root = new Context();
    const middle = root.child();
    const grandchild = middle.child();
    root.addResource(new Db('root'));
    root.addResource(new Db('root-replica'), { name: 'replica' });
    expect(grandchild.getResourceNowait(Db).url).toBe('root');
    middle.addResource(new Db('middle'));
    const all = grandchild.getResources(Db);
    expect(Object.fromEntries([...all].map(([name, db]) => [name, db.url]))).toEqual({ default: 'middle', replica: 'root-replica' });
    expect(await grandchild.getResource(Db)).toEqual(new Db('middle'));
  });

  it('answers a named resource published in a parent after the child looked up another name', () => {
    const root = new Context();
    const child = root.child();
    root.addResource(new Db('a'));
    expect(child.getResourceNowait(Db, 'b', { optional: true })).toBeUndefined();
    root.addResource(new Db('b'), { name: 'b' });
    expect(child.getResourceNowait(Db, 'b').url).toBe('b');
  });
});

describe('ctx.resolve and ctx.container', () => {
  const RequestId = token<string>('RequestId');

  @injectable()
  class Greeter {
    constructor(
      @inject(Db) readonly db: Db,
      @inject(RequestId) readonly requestId: string,
    ) {}
  }

  it('injects a request-scoped factory value built in the resolving context, and a parent resource', async () => {
    const app = new Context();
    app.addResource(new Db('app'));
    let built = 0;
    app.addResourceFactory(() => `req-${++built}`, { types: [RequestId] });
    const first = app.child();
    const second = app.child();
    const a = first.resolve(Greeter);
    const b = second.resolve(Greeter);
    expect(a.db.url).toBe('app');
    expect([a.requestId, b.requestId]).toEqual(['req-1', 'req-2']);
    expect(first.getResourceNowait(RequestId)).toBe('req-1'); // once per context: the same value
    expect(first.resolve(Greeter).requestId).toBe('req-1');
    await Promise.all([first.close(), second.close()]);
  });

  it('injects a named resource with @inject(Key, name)', () => {
    @injectable()
    class ReplicaUser {
      constructor(@inject(Db, 'replica') readonly db: Db) {}
    }
    const ctx = new Context();
    ctx.addResource(new Db('primary'));
    ctx.addResource(new Db('replica'), { name: 'replica' });
    expect(ctx.resolve(ReplicaUser).db.url).toBe('replica');
  });

  it('sees resources published after its container was made', () => {
    const app = new Context();
    const request = app.child();
    expect(request.container).toBe(request.container);
    app.addResource(new Db('late'));
    app.addResourceFactory(() => 'late-id', { types: [RequestId] });
    const greeter = request.resolve(Greeter);
    expect([greeter.db.url, greeter.requestId]).toEqual(['late', 'late-id']);
  });

  it('names the class, the parameter, the key and the name when a binding is missing', () => {
    const ctx = new Context();
    ctx.addResource(new Db('x'));
    let error: unknown;
    try {
      ctx.resolve(Greeter);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ResourceNotFoundError);
    expect((error as ResourceNotFoundError).code).toBe('ASPHALT_RESOURCE_NOT_FOUND');
    expect((error as Error).message).toMatch(/ctx\.resolve\(Greeter\): constructor parameter 1 needs token\(RequestId\) 'default'/);
  });

  it('retains no memory for 200,000 child contexts that add and look up a resource and close, without yielding (no container is made)', () => {
    const app = new Context();
    app.addResource(new Db('app'));
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200_000; i++) {
      const request = app.child();
      request.addResource(new Db(`r${i}`), { name: 'own' });
      request.getResourceNowait(Db, 'own');
      request.getResourceNowait(Db);
      void request.close();
    }
    gc(); // no event-loop turn since the loop began
    const retainedPerContext = (process.memoryUsage().heapUsed - before) / 200_000;
    expect(retainedPerContext).toBeLessThan(100); // bytes; an inversify child container per context retains ~6,800
  });
});

describe('closing', () => {
  it('closes an open child with a ContextAbortedError when its parent closes, even cleanly', async () => {
    const parent = new Context();
    const child = parent.child();
    const seen: unknown[] = [];
    child.addTeardownCallback((error) => seen.push(error));
    await parent.close();
    expect(seen[0]).toBeInstanceOf(ContextAbortedError);
    expect((seen[0] as ContextAbortedError).reason).toBe('parent-closing');
  });

  it('withChild closes the child with what the function threw, or cleanly when it returned', async () => {
    const ctx = new Context();
    const endings: unknown[] = [];
    const result = await ctx.withChild((child) => {
      child.addTeardownCallback((error) => endings.push(error));
      expect(Context.current()).toBe(child);
      return 42;
    });
    const boom = new Error('boom');
    await expect(
      ctx.withChild(async (child) => {
        child.addTeardownCallback((error) => endings.push(error));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(result).toBe(42);
    expect(endings).toEqual([undefined, boom]);
  });

  it('aborts the context\'s AbortSignal with the closing error when it starts closing', async () => {
    const ctx = new Context();
    const signal = ctx.abortSignal;
    const reasons: unknown[] = [];
    ctx.addTeardownCallback(() => reasons.push(signal.aborted, signal.reason));
    const failure = new Error('request failed');
    await ctx.close(failure);
    expect(reasons).toEqual([true, failure]);
  });

  it('gives a signal first asked for during teardown the closing error as its reason', async () => {
    const ctx = new Context();
    const reasons: unknown[] = [];
    ctx.addTeardownCallback(() => reasons.push(ctx.abortSignal.aborted, ctx.abortSignal.reason));
    const failure = new Error('request failed');
    await ctx.close(failure);
    expect(reasons).toEqual([true, failure]);
  });
});
