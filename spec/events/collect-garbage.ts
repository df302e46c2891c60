import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs full GCs, letting finalizers and `WeakRef` bookkeeping run in between, until `done()` or
 * `tries` (default 50) have passed. Returns whether `done()` became true. A full GC of a big jest
 * worker's heap takes a while on a loaded machine: give tests that call this a long timeout.
 */
export async function collectGarbageUntil(done: () => boolean, tries = 50): Promise<boolean> {
  for (let attempt = 0; attempt < tries; attempt++) {
    if (done()) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
  return done();
}
