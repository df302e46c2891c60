import 'reflect-metadata';
import { bootstrap, type Logger } from 'asphalt-ts';
import { startLoopMonitor } from 'asphalt-ts/workers';
import { OffloadApp } from './app';

/**
 * Runs the offload sample in one mode: `inline` (the blur runs on the event loop: pings wait, and
 * the detector reports the block with the request and the stack) or `pool` (the blur runs in
 * worker threads: pings are answered at once). `node dist/samples/offload/main.js inline|pool`.
 */
export async function main(mode: 'inline' | 'pool'): Promise<number> {
  const print = (obj: object | string, msg?: string) => console.log(`warn: ${typeof obj === 'string' ? obj : msg}`);
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: print, error: print };
  const stopMonitor = startLoopMonitor({ threshold: 100, logger });
  try {
    const app = await bootstrap(OffloadApp, { components: { images: { mode } } }, { logger });
    console.log(`mode: ${mode}`);
    const code = await (app.root as OffloadApp).run(app.context);
    await app.stop();
    return code;
  } finally {
    await stopMonitor();
  }
}

if (require.main === module) {
  const mode = process.argv[2] === 'inline' ? 'inline' : 'pool';
  main(mode).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
