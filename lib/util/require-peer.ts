import { MissingPeerDependencyError } from '../errors';

/**
 * Loads a battery's driver library (an optional peer dependency) when the battery first needs it.
 * When the package is not installed, throws a {@link MissingPeerDependencyError} that names it and
 * gives the install command. For battery authors: call it where the driver is first used, and
 * import the driver's types with `import type`, so importing the battery costs nothing until then.
 *
 * @example
 * const { default: Fastify } = requirePeer<typeof import('fastify')>('fastify', 'asphalt-ts/http');
 */
export function requirePeer<T>(packageName: string, usedBy: string, version = ''): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a driver is loaded only when first used
    return require(packageName) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${packageName}'`);
    if (!missing) throw error;
    const spec = version ? `${packageName}@${version}` : packageName;
    throw new MissingPeerDependencyError(
      `${usedBy} needs the package '${packageName}', which is not installed; install it with: npm install ${spec}`,
      packageName,
      { cause: error },
    );
  }
}
