import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { startOnFreePort } from '../support/loopback-server';

/** A `redis-server` started by a spec on a free loopback port, with no persistence. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL, as a crash would) and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted) and waits until it answers PING. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** The `redis-server` binary (Debian installs it in /usr/bin). */
export function redisServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  const found = dirs.map((dir) => join(dir, 'redis-server')).find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error('redis-server is not installed: the redis, queue and scheduler specs need it (Debian: apt-get install redis-server; npm test installs it)');
  }
  return found;
}

/** Resolves once 127.0.0.1:`port` answers `PING` with `+PONG` (or asks for a password). */
async function answersPing(port: number, child: ChildProcess, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        const text = data.toString();
        resolve(text.startsWith('+PONG') || text.includes('NOAUTH'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts `redis-server --bind 127.0.0.1 --port <free> --save '' --appendonly no ...extraArgs`. */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RedisServer> {
  const binary = redisServerBinary();
  const server = await startOnFreePort(
    (port) =>
      spawn(
        binary,
        ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'warning', ...extraArgs],
        { stdio: 'ignore' },
      ),
    answersPing,
  );
  const { port } = server;
  return { port, url: `redis://127.0.0.1:${port}`, kill: () => server.kill('SIGKILL'), restart: server.restart, stop: () => server.kill('SIGKILL') };
}

/**
 * Starts a `redis-server` for the specs of one file (`beforeAll`) and kills it (`afterAll`).
 *
 * @example
 * const redis = useRedisServer();
 * it('...', () => connectTo(redis().port));
 */
export function useRedisServer(extraArgs: readonly string[] = []): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer(extraArgs);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the redis-server has not started (use it inside a test)');
    return server;
  };
}
