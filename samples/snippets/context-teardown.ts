import { Context, contextTeardown, token } from 'asphalt-ts';

interface Tx { commit(): void; rollback(reason: unknown): void; release(): void }
const Transaction = token<Tx>('Transaction');

export async function main(): Promise<string[]> {
  const log: string[] = [];
  // Setup before the yield, teardown after it: the context's closing error arrives at the yield.
  const beginTransaction = contextTeardown(async function* beginTransaction(ctx: Context) {
    const tx: Tx = { commit: () => log.push('commit'), rollback: (e) => log.push(`rollback: ${String(e)}`), release: () => log.push('release') };
    ctx.addResource(tx, { types: [Transaction] });
    try {
      yield tx; // beginTransaction(ctx) resolves with this value
      tx.commit(); // the context closed cleanly
    } catch (error) {
      tx.rollback(error); // ctx.close(error): the error is thrown here
    } finally {
      tx.release();
    }
  });

  const ok = new Context();
  await beginTransaction(ok);
  await ok.close();

  const failed = new Context();
  await beginTransaction(failed);
  await failed.close(new Error('validation failed'));
  return log; // ['commit', 'release', 'rollback: Error: validation failed', 'release']
}
