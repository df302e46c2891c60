import { InvalidArgumentError } from '../errors';

/** Names the property that carries a token's type; it exists at the type level only. */
declare const tokenType: unique symbol;

/**
 * A typed resource key for values that have no class of their own (interfaces, functions,
 * primitives, third-party objects). The type parameter travels into `getResource`.
 *
 * @example
 * const Db = token<Pool>('Db');
 * ctx.addResource(pool, { types: [Db] });
 * const db = await ctx.getResource(Db); // Pool
 */
export class Token<T> {
  /** Carries `T` at the type level only (no such property exists at run time). */
  declare readonly [tokenType]?: T;

  /** @param id stable, human-readable identifier; it names the token in every message. */
  constructor(readonly id: string) {
    if (typeof id !== 'string' || !/^[\w.:/@-]+$/.test(id)) {
      throw new InvalidArgumentError(
        `token id must be a non-empty string of letters, digits and _ . : / @ -, got ${JSON.stringify(id)}; ` +
          `write for example token<Pool>('Db')`,
      );
    }
  }

  toString(): string {
    return `token(${this.id})`;
  }
}

/** Creates a {@link Token}: `const Db = token<Pool>('Db')`. */
export function token<T>(id: string): Token<T> {
  return new Token<T>(id);
}
