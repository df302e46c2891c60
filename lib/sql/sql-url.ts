/** A parsed `url` of the SQL component. */
export type SqlTarget =
  | { readonly dialect: 'postgres'; readonly connectionString: string; readonly display: string }
  | { readonly dialect: 'sqlite'; readonly filename: string; readonly display: string };

/** Reads `postgres://...`, `sqlite:path` or `sqlite::memory:`; `display` hides the password. */
export function parseSqlUrl(url: string): SqlTarget {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length);
    return { dialect: 'sqlite', filename, display: url };
  }
  return { dialect: 'postgres', connectionString: url, display: redactUrl(url) };
}

/** The URL with its password replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
