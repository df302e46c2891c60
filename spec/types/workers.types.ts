// README "Worker threads": `defineTask` carries the task function's type into `pool.run`.
import { defineTask, resource, type WorkerPool } from '../../lib/workers/index';
import { token } from '../../lib';
import { exact } from './expect-type';

type Sha256 = (data: string, rounds: number) => Promise<string>;
const sha256 = defineTask<Sha256>('/tasks/hash.js:sha256');

export async function run(pool: WorkerPool): Promise<void> {
  exact<string>()(await pool.run(sha256, 'abc', 2));
  await pool.run(sha256, 'abc', 2, { signal: AbortSignal.timeout(1_000) });
  // @ts-expect-error rounds is a number
  await pool.run(sha256, 'abc', 'two');
  // @ts-expect-error the task takes two arguments
  await pool.run(sha256, 'abc');
}

interface Mailer {
  send(to: string): Promise<void>;
}
const MailerKey = token<Mailer>('Mailer');

export async function callBack(): Promise<void> {
  const mailer = resource(MailerKey);
  await mailer.send('a@b.org');
  // @ts-expect-error a Mailer has no 'receive'
  await mailer.receive();
}
