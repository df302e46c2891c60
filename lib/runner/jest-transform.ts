import { createHash } from 'node:crypto';
import { extname } from 'node:path';
// The compiler options of the CLI's `.ts` loader, so tests compile code as `asphalt run` does.
import typescript from './cli/swc-typescript.json';
import { MissingPeerDependencyError } from '../errors';
import { findSwc, type SwcCore } from './cli/find-swc';

/** What Jest passes to a transformer (the part used here). */
interface JestTransformOptions {
  readonly config: { readonly rootDir: string };
  readonly supportsStaticESM?: boolean;
}

const typescriptFile = /\.[cm]?tsx?$/;
let swc: SwcCore | undefined;

function loadSwc(rootDir: string): SwcCore {
  swc ??= findSwc(rootDir);
  if (swc === undefined) {
    throw new MissingPeerDependencyError(
      "asphalt-ts/jest-preset compiles TypeScript (and inversify's ESM build) with @swc/core, which is not installed " +
        `in ${rootDir}: run 'npm i -D @swc/core'`,
      '@swc/core',
    );
  }
  return swc;
}

function swcOptions(path: string, options: JestTransformOptions): object {
  const ts = typescriptFile.test(path);
  return {
    filename: path,
    sourceMaps: 'inline',
    jsc: {
      ...typescript.jsc,
      parser: ts ? { ...typescript.jsc.parser, tsx: extname(path).endsWith('x') } : { syntax: 'ecmascript', jsx: extname(path) === '.jsx' },
      // Hoists jest.mock() calls above the imports, as babel-jest and @swc/jest do.
      transform: { ...typescript.jsc.transform, hidden: { jest: true } },
    },
    module: { type: options.supportsStaticESM ? 'es6' : 'commonjs' },
  };
}

/**
 * The transformer of the `asphalt-ts` Jest preset: TypeScript and ESM JavaScript compiled by
 * @swc/core with the same options as the CLI's `.ts` loader (legacy decorators with their
 * metadata), so `preset: 'asphalt-ts'` needs no Babel or ts-jest setup.
 */
const transformer = {
  process(source: string, path: string, options: JestTransformOptions): { code: string; map?: string } {
    const { code, map } = loadSwc(options.config.rootDir).transformSync(source, swcOptions(path, options));
    return { code, map };
  },
  getCacheKey(source: string, path: string, options: JestTransformOptions): string {
    return createHash('sha1')
      .update(source)
      .update('\0')
      .update(path)
      .update('\0')
      .update(JSON.stringify(swcOptions(path, options)))
      .update('\0')
      .update(loadSwc(options.config.rootDir).version)
      .digest('hex');
  },
};
export default transformer;
