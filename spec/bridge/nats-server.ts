import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { startOnFreePort } from '../support/loopback-server';

export { freePort } from '../support/loopback-server';

/** A `nats-server` started by a spec, listening on a free loopback port only. */
export interface NatsServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL, as a crash would) and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  restart(): Promise<void>;
  /** Stops it for good. */
  stop(): Promise<void>;
}

/** The `nats-server` binary (Debian installs it in /usr/sbin, often not on a user's PATH). */
export function natsServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.map((dir) => join(dir, 'nats-server')).find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error("nats-server is not installed: the bridge specs need it (Debian: apt-get install nats-server; CI installs it)");
  }
  return found;
}


/** Resolves once something on 127.0.0.1:`port` accepts a connection and speaks NATS (sends INFO). */
async function acceptsConnections(port: number, child: ChildProcess, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nats-server exited (${child.exitCode ?? child.signalCode}) before accepting connections`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('INFO'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nats-server did not accept connections on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts `nats-server -a 127.0.0.1 -p <free port> ...extraArgs` and waits until it accepts
 * connections.
 */
export async function startNatsServer(extraArgs: readonly string[] = []): Promise<NatsServer> {
  const binary = natsServerBinary();
  const server = await startOnFreePort((port) => spawn(binary, ['-a', '127.0.0.1', '-p', String(port), ...extraArgs], { stdio: 'ignore' }), acceptsConnections);
  const { port } = server;
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    kill: () => server.kill('SIGKILL'),
    restart: server.restart,
    stop: () => server.kill('SIGTERM'),
  };
}

/**
 * Starts a `nats-server` for the specs of one file (`beforeAll`) and stops it (`afterAll`).
 *
 * @example
 * const nats = useNatsServer();
 * it('...', () => connectTo(nats().url));
 */
export function useNatsServer(): () => NatsServer {
  let server: NatsServer | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('the nats-server has not started (use it inside a test)');
    return server;
  };
}
