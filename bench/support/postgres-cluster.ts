// A throwaway PostgreSQL cluster, for the SQL specs and the SQL benchmark (no test-runner globals here).
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';

const run = promisify(execFile);


/** The superuser's password of every throwaway cluster (host connections need it: scram-sha-256). */
export const POSTGRES_PASSWORD = 'asphalt';

/** A throwaway PostgreSQL cluster started by a spec, listening on a free loopback port only. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres:asphalt@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  /** Creates a database (`CREATE DATABASE name`) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through psql over the cluster's Unix socket, as the superuser. */
  psql(sql: string, database?: string): Promise<string>;
  /** Stops the cluster (`pg_ctl -m immediate stop`) and removes its data directory. */
  stop(): Promise<void>;
}

/** Where Debian keeps the server binaries (not on the PATH): the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const candidates = ['17', '16', '15', '14', '13'].map((v) => `/usr/lib/postgresql/${v}/bin`);
  const onPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => existsSync(join(dir, 'pg_ctl')));
  const found = [...candidates.filter((dir) => existsSync(join(dir, 'pg_ctl'))), ...onPath][0];
  if (found === undefined) {
    throw new Error('PostgreSQL is not installed: the SQL specs need it (Debian: apt-get install postgresql; npm test installs it)');
  }
  return found;
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary as the `postgres` user when we are root (the server refuses to run as root). */
async function pgCommand(binary: string, args: readonly string[]): Promise<string> {
  const command = asRoot ? 'runuser' : binary;
  const argv = asRoot ? ['-u', 'postgres', '--', binary, ...args] : [...args];
  const { stdout } = await run(command, argv, { timeout: 60_000, cwd: tmpdir() });
  return stdout;
}

/**
 * Starts a new cluster: `initdb --no-sync` in a temp folder owned by `postgres`, then `pg_ctl start`
 * on 127.0.0.1:<free port> with `fsync=off`. Host connections need the password
 * ({@link POSTGRES_PASSWORD}); the Unix socket (in the data folder) trusts the superuser.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'asphalt-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${POSTGRES_PASSWORD}\n`);
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  await pgCommand(join(bin, 'initdb'), [
    '-D', data, '-U', 'postgres', '--no-sync', '--auth-local=trust', '--auth-host=scram-sha-256',
    `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C',
  ]);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
    try {
      await pgCommand(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
      break;
    } catch (error) {
      if (attempt >= 3) throw error; // the port was taken between freePort() and the start: try another
    }
  }
  const psql = (sql: string, database = 'postgres'): Promise<string> =>
    pgCommand(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql]);
  const url = (database = 'postgres'): string => `postgres://postgres:${POSTGRES_PASSWORD}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    url,
    psql,
    async createDatabase(name) {
      await psql(`CREATE DATABASE "${name}"`);
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await pgCommand(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const out = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gidOut = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error("there is no 'postgres' user: install the Debian package postgresql");
  return { uid: Number(out.stdout.trim()), gid: Number(gidOut.stdout.trim()) };
}

