// The same compiler options as the specs (jest.config.js and the jest preset read this file too).
import options from './swc-typescript.json';
import { findSwc } from './find-swc';

let installed = false;

/**
 * Lets `module:Export` component types name TypeScript files: `.ts` modules are compiled on load
 * with @swc/core (decorators and their metadata included), when @swc/core is installed in the
 * project or beside asphalt-ts. Compiled JavaScript needs nothing of this.
 */
export function installTypeScriptHook(basedir: string): boolean {
  if (installed) return true;
  const swc = findSwc(basedir);
  if (swc === undefined) return false;
  // The compiled code carries an inline source map: with Node's source-map support on, stack
  // traces (a start failure's cause, the stall report's frames) give the .ts file's own lines.
  process.setSourceMapsEnabled(true);
  type Loader = (module: { _compile(code: string, filename: string): void }, filename: string) => void;
  (require.extensions as unknown as Record<string, Loader>)['.ts'] = (module, filename) => {
    module._compile(swc.transformFileSync(filename, options).code, filename);
  };
  installed = true;
  return true;
}
