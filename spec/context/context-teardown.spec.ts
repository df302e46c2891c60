import { Context, contextTeardown, TeardownError, TeardownGeneratorError, token } from '../../lib';

interface Db {
  readonly log: string[];
}
const Db = token<Db>('Db');

/** A setup that publishes a Db, and commits or rolls back when its context closes. */
const openDb = contextTeardown(async function* openDb(ctx: Context, log: string[]) {
  log.push('open');
  const db: Db = { log };
  ctx.addResource(db, { types: [Db] });
  try {
    yield db;
    log.push('commit');
  } catch (error) {
    log.push(`rollback: ${(error as Error).message}`);
  } finally {
    log.push('close');
  }
});

describe('contextTeardown', () => {
  it('runs the part before yield at the call, and the rest when the context closes cleanly', async () => {
    const log: string[] = [];
    const ctx = new Context();
    ctx.addTeardownCallback(() => log.push('registered before'));

    const db: Db = await openDb(ctx, log); // typed from the yield
    log.push('setup returned');
    ctx.addTeardownCallback(() => log.push('registered after'));
    expect(await ctx.getResource(Db)).toBe(db);
    await ctx.close();

    expect(log).toEqual(['open', 'setup returned', 'registered after', 'commit', 'close', 'registered before']);
  });

  it('throws the closing error at the yield, so the catch around it sees it', async () => {
    const log: string[] = [];
    const ctx = new Context();
    await openDb(ctx, log);

    await ctx.close(new Error('request failed'));

    expect(log).toEqual(['open', 'rollback: request failed', 'close']);
  });

  it('runs the teardown part inside the context', async () => {
    const ctx = new Context();
    let current: Context | undefined;
    let currentAtSetup: Context | undefined;
    const setup = contextTeardown(async function* (c: Context) {
      currentAtSetup = Context.current();
      yield;
      current = Context.current();
      expect(c).toBe(ctx);
    });
    await setup(ctx);
    await ctx.close();
    expect(currentAtSetup).toBe(ctx);
    expect(current).toBe(ctx);
  });

  it('reports an error the generator throws after its yield as a failing teardown step, named after it', async () => {
    const ctx = new Context();
    const setup = contextTeardown(async function* flushCache() {
      yield;
      throw new Error('disk full');
    });
    await setup(ctx);

    const error = (await ctx.close().catch((e: unknown) => e)) as TeardownError;

    expect(error).toBeInstanceOf(TeardownError);
    expect((error.errors[0] as Error).message).toBe('disk full');
    expect(error.message).toContain('contextTeardown(flushCache): Error: disk full');
  });

  it('does not count rethrowing the closing error it was given as a teardown failure', async () => {
    const ctx = new Context();
    const seen: unknown[] = [];
    const setup = contextTeardown(async function* (_ctx: Context) {
      try {
        yield;
      } catch (error) {
        seen.push(error);
        throw error;
      }
    });
    await setup(ctx);
    const reason = new Error('aborted unit');

    await expect(ctx.close(reason)).resolves.toBeUndefined();
    expect(seen).toEqual([reason]);
  });

  it('lets an error thrown before the yield reject the call, and registers nothing', async () => {
    const ctx = new Context();
    const log: string[] = [];
    const setup = contextTeardown(async function* (_ctx: Context) {
      log.push('setup');
      throw new Error('cannot connect');
      yield;
      log.push('teardown');
    });

    await expect(setup(ctx)).rejects.toThrow('cannot connect');
    await expect(ctx.close()).resolves.toBeUndefined();
    expect(log).toEqual(['setup']);
  });

  it('rejects the call of a generator that returns without yielding, since its teardown could never run', async () => {
    const ctx = new Context();
    const setup = contextTeardown(async function* maybeOpen(_ctx: Context, enabled: boolean) {
      if (!enabled) return;
      yield 'enabled';
    });

    await expect(setup(ctx, false)).rejects.toMatchObject({
      code: 'ASPHALT_TEARDOWN_GENERATOR',
      message: expect.stringContaining('contextTeardown(maybeOpen) returned without yielding'),
    });
    await expect(setup(ctx, true)).resolves.toBe('enabled');
    await ctx.close();
  });

  it('refuses, with a coded error, a function that is not an async generator function', () => {
    const refused = (fn: unknown): TeardownGeneratorError => {
      try {
        contextTeardown(fn as Parameters<typeof contextTeardown>[0]);
      } catch (error) {
        return error as TeardownGeneratorError;
      }
      throw new Error('expected contextTeardown to refuse');
    };

    const asyncFn = refused(async function setupDb() {});
    expect(asyncFn).toBeInstanceOf(TeardownGeneratorError);
    expect(asyncFn.code).toBe('ASPHALT_TEARDOWN_GENERATOR');
    expect(asyncFn.message).toContain('setupDb is an async function');
    expect(refused(function* syncGen() {}).message).toContain('syncGen is a synchronous generator function');
    expect(refused(() => undefined).code).toBe('ASPHALT_TEARDOWN_GENERATOR');
    expect(refused('openDb').message).toContain('got string');
  });

  it('fails the close with a coded error for a generator that yields a second time, and ends it', async () => {
    const ctx = new Context();
    const log: string[] = [];
    const setup = contextTeardown(async function* twice(_ctx: Context) {
      try {
        yield;
        log.push('first teardown');
        yield;
        log.push('never');
      } finally {
        log.push('finally');
      }
    });
    await setup(ctx);

    const error = (await ctx.close().catch((e: unknown) => e)) as TeardownError;

    expect(error.code).toBe('ASPHALT_TEARDOWN');
    expect((error.errors[0] as TeardownGeneratorError).code).toBe('ASPHALT_TEARDOWN_GENERATOR');
    expect((error.errors[0] as Error).message).toContain('contextTeardown(twice) yielded a second time');
    expect(log).toEqual(['first teardown', 'finally']);
  });

  it('tears down at once, with the reason, when the context closed while the setup ran', async () => {
    const ctx = new Context();
    const log: string[] = [];
    let release!: () => void;
    const setup = contextTeardown(async function* (_ctx: Context) {
      await new Promise<void>((r) => (release = r));
      try {
        yield;
      } catch (error) {
        log.push(`torn down: ${(error as { code?: string }).code}`);
      }
    });
    const pending = setup(ctx);
    await ctx.close();
    release();

    await expect(pending).rejects.toMatchObject({ code: 'ASPHALT_CONTEXT_STATE' });
    expect(log).toEqual(['torn down: ASPHALT_CONTEXT_STATE']);
  });
});
