import { join } from 'node:path';
import { bootstrap, Component, requires, silentLogger } from '../../lib';
import { defineTask, type Task } from '../../lib/workers/task';
import { WorkerPool } from '../../lib/workers/worker-pool';
import { WorkerPoolComponent } from '../../lib/workers/worker-pool-component';

const fixtures = join(__dirname, 'fixtures', 'tasks.js');
const add = defineTask<typeof import('./fixtures/tasks').add>(`${fixtures}:add`);
const sleep = defineTask<typeof import('./fixtures/tasks').sleep>(`${fixtures}:sleep`);

class Consumer extends Component {
  @requires(WorkerPool) pool!: WorkerPool;
  @requires(WorkerPool, { name: 'images' }) images!: WorkerPool;
}

class App extends Component {
  constructor() {
    super();
    this.addComponent('consumer', Consumer);
    this.addComponent('workers', WorkerPoolComponent, { size: 1 });
    this.addComponent('workers2/images', WorkerPoolComponent, { size: 2, maxQueue: 4 });
  }
}

describe('WorkerPoolComponent', () => {
  it('publishes named pools side by side and closes them when the application stops', async () => {
    const app = await bootstrap(App, {}, { logger: silentLogger });
    const pool = await app.context.getResource(WorkerPool);
    const images = await app.context.getResource(WorkerPool, 'images');
    expect(pool).not.toBe(images);
    expect([pool.size, images.size]).toEqual([1, 2]);
    await expect(pool.run(add, 20, 22)).resolves.toBe(42);
    const running = pool.run(sleep, 100);
    const queued = pool.run(add, 1, 1).catch((error: unknown) => error);
    await app.stop();
    await expect(running).resolves.toBe(100);
    expect(await queued).toMatchObject({ code: 'ASPHALT_WORKER_POOL_CLOSED' });
    expect([pool.closed, images.closed]).toEqual([true, true]);
  });

  it('refuses an invalid config with the path of the bad value', async () => {
    await expect(bootstrap(App, { components: { workers: { size: 0 } } }, { logger: silentLogger })).rejects.toMatchObject({
      code: 'ASPHALT_COMPONENT_START',
      message: expect.stringContaining('components.workers.size'),
    });
  });
});

describe('defineTask types', () => {
  it('keeps the task function parameter and return types', async () => {
    const pool = new WorkerPool({ size: 1 });
    try {
      const sum: number = await pool.run(add, 1, 2);
      const slept: number = await pool.run(sleep, 1, { signal: new AbortController().signal });
      expect([sum, slept]).toEqual([3, 1]);
      // @ts-expect-error: a string where the task takes a number
      await pool.run(add, 1, 'two').catch(() => undefined);
      // @ts-expect-error: a missing argument
      await pool.run(add, 1).catch(() => undefined);
      // @ts-expect-error: the result is a number, not a string
      const wrong: string = await pool.run(add, 1, 2);
      expect(wrong).toBe(3);
      const untyped: Task = defineTask('./anything.js:run');
      expect(untyped).toEqual({ file: './anything.js', exportName: 'run' });
      expect(defineTask('file:///srv/tasks/hash.js#sha256')).toEqual({ file: '/srv/tasks/hash.js', exportName: 'sha256' });
      expect(defineTask('/srv/tasks/hash.js')).toEqual({ file: '/srv/tasks/hash.js', exportName: 'default' });
    } finally {
      await pool.close();
    }
  });
});
