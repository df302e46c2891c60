import { Context, type Logger } from '../../lib';
import { labelContext } from '../../lib/context/context-label';
import type { LoopBlockedEvent } from '../../lib/workers/loop-blocked-event';
import { LoopMonitor } from '../../lib/workers/loop-monitor';
import { startLoopMonitor } from '../../lib/workers/start-loop-monitor';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy for `ms`: the deliberate block the detector must name. */
function crunchNumbersFor(ms: number): number {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x = (x * 31 + 7) % 1_000_003;
  return x;
}

let monitor: LoopMonitor | undefined;
afterEach(async () => {
  await monitor?.stop();
  monitor = undefined;
});

async function watch(options: { threshold: number }): Promise<LoopBlockedEvent[]> {
  monitor = new LoopMonitor(options);
  const events: LoopBlockedEvent[] = [];
  monitor.blocked.connect((event) => events.push(event));
  await sleep(3 * monitor.interval); // the heartbeat and the monitor thread are running
  return events;
}

describe('LoopMonitor', () => {
  it('reports a deliberate block: how long, the component running, and a stack frame in the blocking function', async () => {
    const events = await watch({ threshold: 100 });
    const ctx = new Context();
    labelContext(ctx, 'root.hasher');
    ctx.run(() => crunchNumbersFor(800));
    await sleep(100);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.ms).toBeGreaterThanOrEqual(750);
    expect(event.ms).toBeLessThan(3_000);
    expect(event.component).toBe('root.hasher');
    expect(event.frames[0]).toMatchObject({ functionName: 'crunchNumbersFor', file: expect.stringMatching(/loop-monitor\.spec\.ts$/) });
    expect(event.stack).toMatch(/at crunchNumbersFor \(.*loop-monitor\.spec\.ts:\d+:\d+\)/);
    expect(event.captureMs).toBeGreaterThan(0); // its cost is measured by `npm run bench -- workers`
  });

  it('names a labelled child context within its component', async () => {
    const events = await watch({ threshold: 100 });
    const component = new Context();
    labelContext(component, 'root.api');
    const request = component.child();
    labelContext(request, 'GET /report');
    request.run(() => crunchNumbersFor(800));
    await sleep(100);
    expect(events.map((e) => e.component)).toEqual(['root.api > GET /report']);
  });

  it('reports nothing for blocks shorter than the threshold', async () => {
    const events = await watch({ threshold: 300 });
    for (let i = 0; i < 5; i++) {
      crunchNumbersFor(60);
      await sleep(20);
    }
    await sleep(100);
    expect(events).toEqual([]);
  });

  it('reports a block with no stack when capture is off, and reports it only once', async () => {
    monitor = new LoopMonitor({ threshold: 50, captureStack: false });
    const events: LoopBlockedEvent[] = [];
    monitor.blocked.connect((event) => events.push(event));
    await sleep(50);
    crunchNumbersFor(300);
    await sleep(100);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ stack: undefined, frames: [] });
    expect(events[0].ms).toBeGreaterThanOrEqual(250);
  });
});

describe('startLoopMonitor', () => {
  it('logs a warning naming the component and the blocking function, and stops', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_o, m) => warnings.push(m ?? '') };
    const stop = startLoopMonitor({ threshold: 100, logger });
    await sleep(100);
    const ctx = new Context();
    labelContext(ctx, 'root.images');
    ctx.run(() => crunchNumbersFor(800));
    await sleep(100);
    await stop();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^event loop blocked for \d+ ms \(threshold 100 ms\) in root\.images at crunchNumbersFor \(.*loop-monitor\.spec\.ts:\d+:\d+\)\n\s+at crunchNumbersFor/);
  });

  it('starts nothing with threshold 0', async () => {
    const stop = startLoopMonitor({ threshold: 0, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await expect(stop()).resolves.toBeUndefined();
  });
});
