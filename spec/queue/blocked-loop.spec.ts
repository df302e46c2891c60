import { bootstrap, ContainerComponent, silentLogger, type Application, type Logger } from '../../lib';
import { defineJob, jobProcessor, Queue, QueueComponent, QueueWorker, QueueWorkerComponent, type QueueWorkerConfig } from '../../lib/queue';
import { RedisComponent } from '../../lib/redis';
import { startLoopMonitor } from '../../lib/workers';
import { useRedisServer } from '../redis/redis-server';
import { useLoopProbe } from '../support/loop-probe';

jest.setTimeout(60_000);

const redis = useRedisServer();

const probe = useLoopProbe();

const Digest = defineJob<{ ms: number }, number>('digest');

/** Busy-waits on the worker's own event loop (not on the worker pool): the mistake the detector must name. */
function hashForever(ms: number): number {
  probe.reset();
  const start = Date.now();
  let x = 0;
  while (Date.now() - start < ms || (!probe.caught && Date.now() - start < 20_000)) x = (x * 31 + 7) % 1_000_003;
  return x;
}

class DigestWorker extends QueueWorkerComponent {
  constructor(config: QueueWorkerConfig) {
    super(config);
    this.addProcessor(jobProcessor(Digest, async ({ ms }) => hashForever(ms)));
  }
}

let app: Application | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe('the blocked-loop detector and queue jobs', () => {
  it('names the job (queue, job name and id) that blocks the event loop of its worker', async () => {
    const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
    const logger = { ...silentLogger, warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }) } as unknown as Logger;
    const stopMonitor = startLoopMonitor({ threshold: 100, logger });
    try {
      app = await bootstrap(
        ContainerComponent,
        {
          components: {
            redis: { type: RedisComponent, port: redis().port },
            queue: { type: QueueComponent, queue: 'digests' },
            worker: { type: DigestWorker, queue: 'digests' },
          },
        },
        { logger: silentLogger },
      );
      const worker = await app.context.getResource(QueueWorker);
      const completed = new Promise<string>((resolve) => worker.events.connect((event) => event.type === 'completed' && resolve(event.id)));
      const id = await (await app.context.getResource(Queue)).add(Digest, { ms: 400 });
      expect(await completed).toBe(id);

      const label = `job digest #${id} (queue digests)`;
      const deadline = Date.now() + 20_000;
      while (!warnings.some((w) => String(w.fields.component).includes(label)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const report = warnings.find((w) => String(w.fields.component).includes(label));
      expect(report?.fields.component).toBe(`root.worker > ${label}`);
      expect(report?.message).toContain(`in root.worker > ${label} at hashForever (`);
      expect(report?.fields.ms).toBeGreaterThanOrEqual(350);
    } finally {
      await stopMonitor();
    }
  });
});
