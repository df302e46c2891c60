import { Signal } from '../events/signal';

/** A change of the application's phase, as {@link ApplicationState.changes} reports it. */
export interface ApplicationPhaseEvent {
  readonly phase: ApplicationPhase;
}

/** `starting` until every component has started, `started` until stop begins, then `stopping`. */
export type ApplicationPhase = 'starting' | 'started' | 'stopping';

/**
 * The application's phase, published by `bootstrap` in the application context under this class,
 * so a component can act once the **whole** application has started (a queue worker takes jobs,
 * an HTTP server reports ready) and react when stopping begins (readiness turns off).
 *
 * @example
 * @requires(ApplicationState) app!: ApplicationState;
 * async start() { void this.app.whenStarted().then(() => worker.run()); }
 */
export class ApplicationState {
  #phase: ApplicationPhase = 'starting';
  /** Every phase change (`started`, `stopping`). */
  readonly changes = new Signal<ApplicationPhaseEvent>({ name: 'ApplicationState.changes' });
  #started: Promise<void> | undefined;
  #resolveStarted: (() => void) | undefined;

  /** The phase now. */
  get phase(): ApplicationPhase {
    return this.#phase;
  }

  /**
   * Resolves once every component has started (at once if it has). Never resolves for an
   * application whose startup fails or that stops before it started.
   */
  whenStarted(): Promise<void> {
    if (this.#phase === 'started') return Promise.resolve();
    return (this.#started ??= new Promise<void>((resolve) => (this.#resolveStarted = resolve)));
  }

  /** @internal bootstrap: every component has started. */
  markStarted(): void {
    if (this.#phase !== 'starting') return;
    this.#phase = 'started';
    this.#resolveStarted?.();
    this.changes.dispatch({ phase: 'started' });
  }

  /** @internal bootstrap: stopping has begun. */
  markStopping(): void {
    if (this.#phase === 'stopping') return;
    this.#phase = 'stopping';
    this.changes.dispatch({ phase: 'stopping' });
  }
}
