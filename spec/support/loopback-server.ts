import type { ChildProcess } from 'node:child_process';
import { freePort } from '../../bench/support/free-port';

/** A TCP port on 127.0.0.1 that was free a moment ago (one helper for specs and benchmarks). */
export { freePort };

/** A server process on a loopback port, as the specs start them (nats-server, redis-server, ...). */
export interface LoopbackProcess {
  readonly port: number;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port (after a kill). */
  restart(): Promise<void>;
}

/**
 * Spawns `spawnOn(port)` on a free port and waits for `ready`; retries on another port (up to 3
 * tries) when the port was taken between `freePort()` and the spawn.
 */
export async function startOnFreePort(
  spawnOn: (port: number) => ChildProcess,
  ready: (port: number, child: ChildProcess) => Promise<void>,
): Promise<LoopbackProcess> {
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    child = spawnOn(port);
    await ready(port, child);
  };
  const exited = (): Promise<void> =>
    new Promise((resolve) => (child === undefined || child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const done = exited();
    child?.kill(signal);
    await done;
  };
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      await kill('SIGKILL');
      if (attempt >= 3) throw error;
    }
  }
  return { port, kill, restart: launch };
}

