import { createServer, type Server } from 'node:http';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { Component, type Context, labelContext, provides, requires, Signal } from 'asphalt-ts';
import { defineTask, exposeToWorkers, WorkerPool } from 'asphalt-ts/workers';
import { Progress, type BlurProgress } from './progress';
import { blurImage } from './tasks/pixels';

exposeToWorkers(Progress);

/** The CPU-heavy step as a worker task; its types come from the module. Run from dist/ (compiled). */
const blurTask = defineTask<typeof import('./tasks/pixels').blurImageReporting>(`${__dirname}/tasks/pixels.js:blurImageReporting`);

/** Where the image service listens. */
export class ImageService {
  constructor(readonly url: string) {}
}

export class ImageServiceConfig {
  /** `inline` runs the blur on the event loop; `pool` runs it in a worker thread. */
  @IsIn(['inline', 'pool']) mode: 'inline' | 'pool' = 'pool';
  /** 0 picks a free port. */
  @IsInt() @Min(0) @Max(65535) port = 0;
  @IsInt() @Min(1) size = 400;
  @IsInt() @Min(1) rounds = 200;
}

/**
 * An HTTP service: `GET /ping` answers at once; `GET /blur?seed=N` blurs a generated image, on the
 * event loop (`mode: inline`) or in the worker pool (`mode: pool`). Each request runs in its own
 * child context, labelled with the route, so the blocked-loop detector can name it.
 */
@provides(ImageService)
@provides(Progress)
@requires(WorkerPool)
export class ImageServiceComponent extends Component {
  @requires(WorkerPool) pool!: WorkerPool;

  constructor(readonly config: ImageServiceConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const progress = new Signal<BlurProgress>({ name: 'offload.progress' });
    ctx.addResource(progress, { types: [Progress] });
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const request = ctx.child();
      labelContext(request, `${req.method} ${url.pathname}`);
      request
        .run(() => this.#handle(url))
        .then(
          (body) => res.end(body),
          (error: unknown) => {
            res.statusCode = 500;
            res.end(error instanceof Error ? error.message : String(error));
          },
        )
        .finally(() => request.close());
    });
    await new Promise<void>((resolve) => server.listen(this.config.port, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    ctx.addResource(new ImageService(`http://127.0.0.1:${port}`), {
      teardown: () => new Promise((resolve) => server.close(resolve)),
    });
  }

  async #handle(url: URL): Promise<string> {
    if (url.pathname === '/ping') return 'pong';
    if (url.pathname !== '/blur') throw new Error(`no route ${url.pathname}`);
    const seed = Number(url.searchParams.get('seed') ?? 1);
    const { size, rounds, mode } = this.config;
    const checksum = mode === 'inline' ? blurImage(size, size, rounds, seed) : await this.pool.run(blurTask, size, size, rounds, seed);
    return String(checksum);
  }
}
