import { createRequire } from 'node:module';

/** The part of @swc/core that asphalt-ts uses. */
export interface SwcCore {
  readonly version: string;
  transformSync(code: string, options: object): { code: string; map?: string };
  transformFileSync(path: string, options: object): { code: string };
}

/**
 * @swc/core as installed in the project at `basedir`, else beside asphalt-ts; `undefined` when
 * neither has it (it is an optional tool: only `.ts` modules need it).
 */
export function findSwc(basedir: string): SwcCore | undefined {
  for (const from of [`${basedir}/noop.js`, __filename]) {
    try {
      return createRequire(from)('@swc/core') as SwcCore;
    } catch {
      // not installed there
    }
  }
  return undefined;
}
