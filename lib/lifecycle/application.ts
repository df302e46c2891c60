import type { Component } from '../components/component';
import type { Context } from '../context/context';
import type { Signal } from '../events/signal';
import type { ComponentGraph } from '../graph/component-graph';
import type { LifecycleEvent } from './lifecycle-event';

/**
 * A started application: its context (where the components published), the root component, the
 * graph (with states and timings), lifecycle events, and `stop()`.
 *
 * @example
 * await using app = await bootstrap(AppComponent, config);
 * const mailer = await app.context.getResource(Mailer);
 */
export class Application implements AsyncDisposable {
  readonly #stop: (error?: unknown) => Promise<void>;
  #stopping: Promise<void> | undefined;

  /** @internal created by `bootstrap()`. */
  constructor(
    readonly context: Context,
    readonly root: Component,
    readonly graph: ComponentGraph,
    readonly events: Signal<LifecycleEvent>,
    stop: (error?: unknown) => Promise<void>,
  ) {
    this.#stop = stop;
  }

  /**
   * Stops every component (each after everything that requires it; independent ones
   * concurrently; each within its stop timeout), then closes the context. Every failure is thrown
   * together as a `TeardownError`. Calling it again returns the same promise.
   */
  stop(error?: unknown): Promise<void> {
    return (this.#stopping ??= this.#stop(error));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
