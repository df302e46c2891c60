import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Runs full GCs, letting finalizers and `WeakRef` bookkeeping run in between, until `done()` or 50
 * tries have passed. Returns whether `done()` became true.
 */
export async function collectGarbageUntil(done: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (done()) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
  return done();
}
