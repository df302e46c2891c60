/**
 * inversify, loaded the first time a context makes a container or a class is decorated with
 * `@injectable()` / `@inject()`: it is ESM-only and costs about half of `require('asphalt-ts')`,
 * which most per-request code never needs. Internal.
 */
export function inversify(): typeof import('inversify') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  return (loaded ??= require('inversify') as typeof import('inversify'));
}

let loaded: typeof import('inversify') | undefined;
