/**
 * What a transactional battery (the SQL session) attaches to the context that owns a unit of work,
 * so that other batteries can hold work until it commits without importing that battery.
 */
export interface TransactionScope {
  /** Whether work given to {@link TransactionScope.defer} would wait for a commit now. */
  readonly active: boolean;
  /** Runs `fn` once the unit of work has committed; drops it when it rolls back. */
  defer(fn: () => unknown): void;
}
