import { readFileSync, statSync } from 'node:fs';

/**
 * `!TextFile` and `!BinaryFile` may load at most this many bytes in total per configuration (each
 * file counted once, however many aliases or tags name it).
 */
export const MAX_TAG_FILE_BYTES = 32 * 1024 * 1024;

/**
 * The files `!TextFile`/`!BinaryFile` loaded for one configuration: each file is read once (an alias
 * or a second tag naming it gets the same contents), and the bytes read are bounded.
 */
export class TagFiles {
  readonly #read = new Map<string, string | Buffer>();
  readonly #refused = new Set<string>();
  #bytes = 0;

  constructor(readonly limit = MAX_TAG_FILE_BYTES) {}

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The file's contents (read once); throws a `TagFileLimit` past the limit, an fs error otherwise. */
  load(absolute: string, tag: '!TextFile' | '!BinaryFile'): string | Buffer {
    const key = `${tag}\0${absolute}`;
    const known = this.#read.get(key);
    if (known !== undefined) return known;
    // A file refused once is reported once (an alias of it a hundred times is one problem).
    if (this.#refused.has(key)) throw new TagFileLimit('', true);
    const other = this.#read.get(`${tag === '!TextFile' ? '!BinaryFile' : '!TextFile'}\0${absolute}`);
    let content: string | Buffer;
    if (other !== undefined) {
      content = typeof other === 'string' ? Buffer.from(other, 'utf8') : other.toString('utf8');
    } else {
      const stat = statSync(absolute);
      if (!stat.isFile()) throw new TagFileLimit(`${absolute} is not a regular file`);
      if (this.#bytes + stat.size > this.limit) {
        this.#refused.add(key);
        throw new TagFileLimit(this.#overLimit(stat.size));
      }
      const bytes = readFileSync(absolute);
      // The file may have grown since stat.
      if (this.#bytes + bytes.length > this.limit) {
        this.#refused.add(key);
        throw new TagFileLimit(this.#overLimit(bytes.length));
      }
      this.#bytes += bytes.length;
      content = tag === '!TextFile' ? bytes.toString('utf8') : bytes;
    }
    this.#read.set(key, content);
    return content;
  }

  #overLimit(size: number): string {
    return (
      `the file has ${size} bytes, and tags may load at most ${this.limit} bytes in total per configuration ` +
      `(${this.#bytes} already loaded); a config is not the place for large files: read it in the component instead`
    );
  }
}

/** A tag file that is refused without an fs error: not a regular file, or past the byte limit. */
export class TagFileLimit extends Error {
  constructor(
    message: string,
    /** Refused before, and reported then. */
    readonly repeated = false,
  ) {
    super(message);
  }
}

/** A file system error in words: `no such file`, `permission denied`, ... */
export function fileErrorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a parent of the path is not a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
