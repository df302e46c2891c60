import { InvalidResourceError } from '../errors';

/** The name a resource gets when none is given. */
export const DEFAULT_NAME = 'default';

const pattern = /^\w+$/;

/** Throws unless `name` matches `/^\w+$/`. */
export function checkResourceName(name: unknown, where: string): string {
  if (typeof name === 'string' && pattern.test(name)) return name;
  throw new InvalidResourceError(
    `${where}: resource name ${JSON.stringify(name)} is invalid; a name is one or more letters, ` +
      `digits or underscores (/^\\w+$/), e.g. 'default' or 'read_replica'`,
  );
}
