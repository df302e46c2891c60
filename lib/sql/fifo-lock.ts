const resolved: Promise<void> = Promise.resolve();

/** A first-come first-served lock: one connection's statements, or SQLite's one connection. */
export class FifoLock {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  /** Takes the lock now if it is free. */
  tryLock(): boolean {
    if (this.#held) return false;
    this.#held = true;
    return true;
  }

  /** Resolves once the lock is ours. */
  lock(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return resolved;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next !== undefined) next();
    else this.#held = false;
  }

  get held(): boolean {
    return this.#held;
  }

  /** How many wait for it. */
  get waiting(): number {
    return this.#waiters.length;
  }
}
