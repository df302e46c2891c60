import { InvalidArgumentError } from '../index';

/** A check: resolves (optionally with details) when healthy, throws when not. */
export type HealthCheck = (signal: AbortSignal) => unknown;

/** Options of {@link HealthRegistry.add}. */
export interface HealthCheckOptions {
  /** How long the check may take before it counts as down, in ms. Default 1,000. */
  timeout?: number;
  /** How long a result is reused before the check runs again, in ms. Default 0 (every time). */
  cacheFor?: number;
}

/** One check's outcome, shaped like NestJS terminus: `status` plus the check's details. */
export interface HealthCheckResult {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

/**
 * Every check's outcome, shaped like NestJS terminus: `ok` when all are up, `shutting_down` from
 * the first instant of stop.
 */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  info: Record<string, HealthCheckResult>;
  error: Record<string, HealthCheckResult>;
  details: Record<string, HealthCheckResult>;
}

/** Where the application is in its life, as the probes see it. */
export type HealthState = 'starting' | 'ready' | 'stopping';

/** The last block of the event loop past the liveness threshold (see {@link HealthRegistry.reportLoopBlocked}). */
export interface LoopBlock {
  readonly ms: number;
  readonly threshold: number;
  /** `Date.now()` when it was reported. */
  readonly at: number;
  readonly component?: string;
}

interface Entry {
  check: HealthCheck;
  timeout: number;
  cacheFor: number;
  cached?: { at: number; result: HealthCheckResult };
}

/**
 * Checks that components contribute (a database ping, a broker connection), run together with a
 * timeout each. A battery adds its check at start and removes it at stop.
 *
 * @example
 * const remove = health.add('db', async () => { await pool.query('select 1'); });
 * ctx.addTeardownCallback(remove);
 */
export class HealthRegistry {
  readonly #entries = new Map<string, Entry>();
  #state: HealthState = 'starting';
  #lastBlock: LoopBlock | undefined;
  /** How long a reported loop block keeps `/livez` failing, in ms. */
  livenessWindow = 30_000;

  /** `starting` until the tree has started, `ready`, then `stopping` from the first instant of stop. */
  get state(): HealthState {
    return this.#state;
  }

  /** The tree has started: readiness now follows the checks. Called by `HealthComponent` (or a runner). */
  markReady(): void {
    if (this.#state === 'starting') this.#state = 'ready';
  }

  /** Stop has begun: readiness is false from now on. */
  markStopping(): void {
    this.#state = 'stopping';
  }

  /** Records a block of the event loop past the liveness threshold: `/livez` fails for `livenessWindow` ms. */
  reportLoopBlocked(block: Omit<LoopBlock, 'at'>): void {
    this.#lastBlock = { ...block, at: Date.now() };
  }

  /** `/livez`: down only while a loop block past the threshold was reported within `livenessWindow`. */
  liveness(): HealthReport {
    const block = this.#lastBlock;
    const recent = block !== undefined && Date.now() - block.at < this.livenessWindow;
    const eventLoop: HealthCheckResult = recent
      ? { status: 'down', message: `the event loop was blocked for ${block.ms} ms (threshold ${block.threshold} ms)${block.component ? ` in ${block.component}` : ''}`, blockedMs: block.ms, ago: Date.now() - block.at }
      : { status: 'up' };
    return single('eventLoop', eventLoop);
  }

  /** `/startupz`: up once the tree has started (and stays up while stopping). */
  startup(): HealthReport {
    return single('lifecycle', this.#state === 'starting' ? { status: 'down', state: this.#state } : { status: 'up', state: this.#state });
  }

  /** `/readyz`: down until the tree has started and from the first instant of stop; otherwise the checks. */
  async readiness(): Promise<HealthReport> {
    if (this.#state !== 'ready') {
      const report = single('lifecycle', { status: 'down', state: this.#state });
      if (this.#state === 'stopping') report.status = 'shutting_down';
      return report;
    }
    const report = await this.run();
    const lifecycle: HealthCheckResult = { status: 'up', state: this.#state };
    return { ...report, info: { lifecycle, ...report.info }, details: { lifecycle, ...report.details } };
  }

  /** Adds a check under `name` (unique); returns a function that removes it. */
  add(name: string, check: HealthCheck, options: HealthCheckOptions = {}): () => void {
    if (typeof name !== 'string' || !/^[\w.:/-]+$/.test(name)) {
      throw new InvalidArgumentError(`HealthRegistry.add: name must be letters, digits and _ . : / -, got ${JSON.stringify(name)}`);
    }
    if (typeof check !== 'function') throw new InvalidArgumentError(`HealthRegistry.add('${name}'): check must be a function, got ${typeof check}`);
    if (this.#entries.has(name)) {
      throw new InvalidArgumentError(`HealthRegistry.add: a check named '${name}' is already registered; give this one another name`);
    }
    const timeout = options.timeout ?? 1000;
    const cacheFor = options.cacheFor ?? 0;
    for (const [option, value] of [['timeout', timeout], ['cacheFor', cacheFor]] as const) {
      if (!Number.isFinite(value) || value < 0) {
        throw new InvalidArgumentError(`HealthRegistry.add('${name}'): ${option} must be a finite number of ms >= 0, got ${value}`);
      }
    }
    const entry: Entry = { check, timeout, cacheFor };
    this.#entries.set(name, entry);
    return () => {
      if (this.#entries.get(name) === entry) this.#entries.delete(name);
    };
  }

  /** The names of the registered checks. */
  get names(): readonly string[] {
    return [...this.#entries.keys()];
  }

  /** Runs every check (concurrently, each within its timeout) and reports them together. */
  async run(): Promise<HealthReport> {
    const names = [...this.#entries.keys()];
    const results = await Promise.all(names.map((name) => this.#runOne(name, this.#entries.get(name)!)));
    const report: HealthReport = { status: 'ok', info: {}, error: {}, details: {} };
    names.forEach((name, i) => {
      const result = results[i]!;
      report.details[name] = result;
      if (result.status === 'up') report.info[name] = result;
      else {
        report.error[name] = result;
        report.status = 'error';
      }
    });
    return report;
  }

  async #runOne(name: string, entry: Entry): Promise<HealthCheckResult> {
    const now = performance.now();
    if (entry.cached !== undefined && now - entry.cached.at < entry.cacheFor) return entry.cached.result;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`health check '${name}' took longer than its timeout of ${entry.timeout} ms`);
        controller.abort(error);
        reject(error);
      }, entry.timeout);
    });
    let result: HealthCheckResult;
    try {
      const details = await Promise.race([Promise.resolve().then(() => entry.check(controller.signal)), timedOut]);
      result = { ...(typeof details === 'object' && details !== null ? details : {}), status: 'up' };
    } catch (error) {
      result = { status: 'down', message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
    entry.cached = { at: performance.now(), result };
    return result;
  }
}

function single(name: string, result: HealthCheckResult): HealthReport {
  const up = result.status === 'up';
  return { status: up ? 'ok' : 'error', info: up ? { [name]: result } : {}, error: up ? {} : { [name]: result }, details: { [name]: result } };
}
