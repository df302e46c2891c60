import { CLIApplicationComponent, type Context } from 'asphalt-ts';
import { WorkerPoolComponent } from 'asphalt-ts/workers';
import { ImageService, ImageServiceComponent } from './components';
import { Progress } from './progress';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Measures one GET: the body and how long it took. */
async function timed(url: string): Promise<{ body: string; ms: number }> {
  const began = performance.now();
  const body = await (await fetch(url)).text();
  return { body, ms: performance.now() - began };
}

/**
 * Sends three blur requests at once and, until they are done, a ping every 20 ms; prints how many
 * pings were answered while the blurs ran and the slowest one.
 */
export class OffloadApp extends CLIApplicationComponent {
  constructor() {
    super();
    // One thread: on a 2-core machine the other core stays with the event loop.
    this.addComponent('workers', WorkerPoolComponent, { size: 1 });
    this.addComponent('images', ImageServiceComponent);
  }

  async run(ctx: Context): Promise<number> {
    const { url } = await ctx.getResource(ImageService);
    let reports = 0;
    const disconnect = (await ctx.getResource(Progress)).connect(() => reports++);
    await timed(`${url}/ping`);
    let blurring = true;
    const blurs = Promise.all([1, 2, 3].map((seed) => timed(`${url}/blur?seed=${seed}`))).finally(() => (blurring = false));
    const pings: number[] = [];
    let answered = 0;
    while (blurring) {
      const { ms } = await timed(`${url}/ping`);
      pings.push(ms);
      if (blurring) answered++;
      await sleep(20);
    }
    const results = await blurs;
    disconnect();
    const slowest = Math.max(...results.map((r) => r.ms));
    console.log(`blurred 3 images (checksums ${results.map((r) => r.body).join(', ')}) in ${slowest.toFixed(0)} ms`);
    console.log(`progress reports from workers: ${reports}`);
    console.log(`pings answered while blurring: ${answered} of ${pings.length}, slowest ${Math.max(...pings).toFixed(0)} ms`);
    return 0;
  }
}
