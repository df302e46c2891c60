import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { Context, createTaskFactory } from 'asphalt-ts';

export async function main(): Promise<string[]> {
  const log: string[] = [];
  const app = new Context();
  const tasks = createTaskFactory(app, { name: 'network' });

  // startAndWait resolves once the task calls status.started(value): here, once it listens.
  const server = await tasks.startAndWait<number>('echo-server', async (signal, status) => {
    const listener: Server = createServer((socket) => socket.pipe(socket));
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    status.started((listener.address() as { port: number }).port);
    await once(signal, 'abort'); // runs until cancelled or until the context closes
    listener.close();
    log.push('server closed');
  });
  log.push(`listening: ${typeof server.startValue === 'number'}`);

  const ticker = tasks.start('ticker', async (signal) => {
    while (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 5));
    log.push('ticker stopped');
  });
  log.push(`running: ${tasks.handles.map((h) => h.name).join(', ')}`);

  await ticker.cancel(); // aborts that task only and waits for it; the context stays open
  log.push(`after cancel: ${tasks.handles.map((h) => h.name).join(', ')}`);

  await app.close(); // aborts and awaits the tasks still running
  return log;
  // ['listening: true', 'running: echo-server, ticker', 'ticker stopped',
  //  'after cancel: echo-server', 'server closed']
}
