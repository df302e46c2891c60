/**
 * Waits for `promise` for at most `ms`; resolves `'timeout'` if it has not settled by then (the
 * promise is left running, its rejection ignored). Rejections within the time are rethrown. No
 * timer is armed for a promise that settles within a few microtasks, which keeps starting and
 * stopping thousands of trivial components cheap.
 */
export async function within(promise: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let settled = false;
  const done = promise.then(
    () => void (settled = true),
    (error: unknown) => {
      settled = true;
      throw error;
    },
  );
  done.catch(() => undefined);
  for (let i = 0; i < 4 && !settled; i++) await null;
  if (settled) {
    await done;
    return 'done';
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
  try {
    return await Promise.race([done.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
