import { InvalidArgumentError } from '../index';

/** The SQL dialects the battery speaks. */
export type SqlDialect = 'postgres' | 'sqlite';

/**
 * A statement built by the {@link sql} tag: text pieces and the values between them, which are
 * always sent as parameters (never spliced into the text). Nested statements are inlined.
 */
export class SqlStatement {
  /** `strings.length === values.length + 1`, as in a template literal. */
  readonly strings: readonly string[];
  readonly values: readonly unknown[];

  /** @internal use the {@link sql} tag. */
  constructor(strings: readonly string[], values: readonly unknown[]) {
    this.strings = strings;
    this.values = values;
  }

  /** The text with `$1, $2...` placeholders (PostgreSQL) or `?` (SQLite). */
  text(dialect: SqlDialect): string {
    const { strings } = this;
    let text = strings[0]!;
    for (let i = 1; i < strings.length; i++) text += (dialect === 'postgres' ? `$${i}` : '?') + strings[i]!;
    return text;
  }
}

/**
 * Builds a parameterised statement: every `${value}` becomes a placeholder and a parameter, so
 * nothing is spliced into the SQL. A nested `sql` fragment is inlined; `sql.raw(text)` splices
 * trusted text (identifiers you chose); `sql.join(values)` makes `$1, $2, $3` for `IN (...)`.
 *
 * @example
 * const rows = await session.sql`select * from notes where owner = ${owner} and id in (${sql.join(ids)})`;
 */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: readonly unknown[]): SqlStatement {
  let simple = true;
  for (const value of values) if (value instanceof SqlStatement) simple = false;
  if (simple) return new SqlStatement(strings, values);
  const outStrings: string[] = [strings[0]!];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlStatement) {
      outStrings[outStrings.length - 1] += value.strings[0]!;
      for (let j = 0; j < value.values.length; j++) {
        outValues.push(value.values[j]);
        outStrings.push(value.strings[j + 1]!);
      }
      outStrings[outStrings.length - 1] += strings[i + 1]!;
    } else {
      outValues.push(value);
      outStrings.push(strings[i + 1]!);
    }
  });
  return new SqlStatement(outStrings, outValues);
}

/** Trusted text spliced as it is (an identifier, a keyword): never pass user input. */
sql.raw = (text: string): SqlStatement => {
  if (typeof text !== 'string') throw new InvalidArgumentError(`sql.raw: expected a string, got ${typeof text}`);
  return new SqlStatement([text], []);
};

/** The values as parameters separated by `separator` (default `', '`), e.g. for `IN (...)`. */
sql.join = (values: readonly unknown[], separator = ', '): SqlStatement => {
  if (!Array.isArray(values) || values.length === 0) {
    throw new InvalidArgumentError('sql.join: expected a non-empty array of values (an empty IN () list is not valid SQL)');
  }
  return new SqlStatement(['', ...values.slice(1).map(() => separator), ''], values);
};
