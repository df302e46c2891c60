import { Context, token } from 'asphalt-ts';

interface Tx { commit(): void; rollback(reason: unknown): void }
const Transaction = token<Tx>('Transaction');

export async function main(): Promise<string[]> {
  const log: string[] = [];
  const app = new Context();
  // One factory for every unit of work: each child that asks gets its own transaction, which
  // commits only when the child closes cleanly.
  app.addResourceFactory<Tx>(() => ({ commit: () => log.push('commit'), rollback: () => log.push('rollback') }), {
    types: [Transaction],
    teardown: (tx, error) => (error === undefined ? tx.commit() : tx.rollback(error)),
  });

  await app.withChild(async (unit) => {
    await unit.getResource(Transaction); // finishes: commits
  });
  await app
    .withChild(async (unit) => {
      await unit.getResource(Transaction);
      unit.abortSignal.addEventListener('abort', () => log.push('aborted'));
      throw new Error('validation failed'); // fn threw: the child closes with it and rolls back
    })
    .catch(() => undefined);
  await app.close();
  return log; // ['commit', 'aborted', 'rollback']
}
