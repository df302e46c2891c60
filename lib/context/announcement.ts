import { ResourceUnavailableError } from '../errors';

/**
 * A promise that a resource will be published in a context. `getResource` waits on it instead of
 * failing; the lifecycle fails it when the provider fails. Internal: not exported from the package.
 */
export class Announcement {
  readonly promise: Promise<void>;
  #resolve!: () => void;
  #reject!: (error: Error) => void;
  #settled = false;

  constructor(
    /** Who promised it, e.g. the component path `root.mailer`. */
    readonly provider: string,
    readonly what: string,
  ) {
    this.promise = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nobody may be waiting when it fails; waiters still see the rejection through their own await.
    this.promise.catch(() => undefined);
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** The resource was published. */
  fulfil(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve();
  }

  /** The resource will never come; every waiter gets a `ResourceUnavailableError` naming why. */
  fail(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    const why = reason instanceof Error ? reason.message : String(reason);
    this.#reject(
      new ResourceUnavailableError(
        `${this.what} will not be published: its provider ${this.provider} failed (${why})`,
        { cause: reason },
      ),
    );
  }
}
