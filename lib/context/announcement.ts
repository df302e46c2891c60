import { ResourceUnavailableError } from '../errors';
import { describeKey, type ResourceKey } from '../resources/resource-key';

/**
 * A promise that a resource will be published in a context. `getResource` waits on it instead of
 * failing; the lifecycle fails it when the provider fails. Its promise is only made for a waiter,
 * since most resources are published before anyone waits. Internal: not exported from the package.
 */
export class Announcement {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  #failure: Error | undefined;
  #settled = false;
  #listeners: ((failure: Error | undefined) => void)[] | undefined;

  constructor(
    /** Who promised it, e.g. the component path `root.mailer`. */
    readonly provider: string,
    readonly key: ResourceKey<unknown>,
    readonly name: string,
  ) {}

  /** What will be published, e.g. `Db 'default'`. */
  get what(): string {
    return `${describeKey(this.key)} '${this.name}'`;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Whether the resource has been published (settled without a failure). */
  get published(): boolean {
    return this.#settled && this.#failure === undefined;
  }

  /** Settles when the resource is published; rejects with `ResourceUnavailableError` if it never will be. */
  get promise(): Promise<void> {
    if (this.#promise === undefined) {
      if (this.#failure) this.#promise = Promise.reject(this.#failure);
      else if (this.#settled) this.#promise = Promise.resolve();
      else {
        this.#promise = new Promise<void>((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
      }
      // Waiters see the rejection through their own await; this keeps it from being "unhandled".
      this.#promise.catch(() => undefined);
    }
    return this.#promise;
  }

  /**
   * Calls `listener` once the announcement settles (at once if it has): with `undefined` when the
   * resource was published, with the `ResourceUnavailableError` when it never will be.
   */
  whenSettled(listener: (failure: Error | undefined) => void): void {
    if (this.#settled) listener(this.#failure);
    else (this.#listeners ??= []).push(listener);
  }

  /** The resource was published. */
  fulfil(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve?.();
    this.#notify();
  }

  #notify(): void {
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) listener(this.#failure);
  }

  /** The resource will never come; every waiter gets a `ResourceUnavailableError` naming why. */
  fail(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    const why = reason instanceof Error ? reason.message : String(reason);
    this.#failure = new ResourceUnavailableError(
      `${this.what} will not be published: its provider ${this.provider} failed (${why})`,
      { cause: reason },
    );
    this.#reject?.(this.#failure);
    this.#notify();
  }
}
