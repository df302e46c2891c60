import 'reflect-metadata';
import { bootstrap, type Logger } from 'asphalt-ts';
import { NewsletterApp } from './app';

/**
 * Starts the newsletter sample, prints its graph and startup summary, runs it and stops it.
 * Run it with `npm run sample` (or `npm run sample -- newsletter`).
 */
export async function main(config: unknown = {}): Promise<number> {
  const logger: Logger = {
    debug: () => undefined,
    info: (obj, msg) => console.log(`info: ${typeof obj === 'string' ? obj : msg}`),
    warn: (obj, msg) => console.log(`warn: ${typeof obj === 'string' ? obj : msg}`),
    error: (obj, msg) => console.log(`error: ${typeof obj === 'string' ? obj : msg}`),
  };
  const app = await bootstrap(NewsletterApp, config, { logger });
  console.log('start order:', app.graph.startOrder().map((level) => level.join(' + ')).join('  ->  '));
  console.log(app.graph.toMermaid());
  const code = await (app.root as NewsletterApp).run(app.context);
  await app.stop();
  return code;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
