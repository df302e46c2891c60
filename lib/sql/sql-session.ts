import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { attachTransactionScope, InvalidArgumentError, type Context, type TransactionScope } from '../index';
import { kyselyFor } from './kysely-session';
import type { SessionHost } from './session-host';
import type { SqlLease, SqlResult, SqlRow } from './sql-driver';
import { SqlCommitError, SqlSessionError } from './sql-errors';
import { closedError, errorMessage, notCommitted, outlivedError } from './session-errors';
import { SqlStatement, type SqlDialect } from './sql-statement';
import type { SqlPropagation, SqlSessionOptions, SqlStreamOptions } from './sql-session-options';

export type { SqlPropagation, SqlSessionOptions, SqlStreamOptions } from './sql-session-options';

type Mode = 'autocommit' | 'own' | 'join' | 'nested';
type Deferred = () => unknown;

const noParams: readonly unknown[] = [];

/**
 * One context's unit of work on one database (the resource `SqlSession`, built for each context
 * that asks). The connection is checked out on the first statement and `BEGIN` sent then; when
 * the context closes, the transaction commits (clean close) or rolls back (closed with an error),
 * and the connection always goes back. A failed `COMMIT` is an error of the context's teardown.
 * Raw SQL, the {@link sql} tag, streams and Kysely share the one transaction.
 *
 * @example
 * const session = await ctx.getResource(SqlSession);
 * await session.sql`insert into notes (text) values (${text})`;
 * const { rows } = await session.query('select count(*) as n from notes');
 */
export class SqlSession implements TransactionScope {
  readonly #host: SessionHost<SqlSession>;
  readonly #ctx: Context;
  #autocommit: boolean;
  #readOnly: boolean;
  #propagation: SqlPropagation = 'join';
  #mode: Mode | undefined;
  /** For `join` and `nested`: the session of the parent context this one works through. */
  #parent: SqlSession | undefined;
  #open = true;
  #endedBecause = '';
  #ready: Promise<SqlLease> | undefined;
  #lease: SqlLease | undefined;
  #deferred: Deferred[] | undefined;
  /** A joined child ended with an error: this transaction may only roll back. */
  #rollbackOnly: unknown;
  /** A statement failed inside this transaction (PostgreSQL then refuses every further one). */
  #aborted: unknown;
  #savepoint = '';
  #savepoints = 0;
  #acquiredAt = 0;
  #sqlMs = 0;
  #kysely: Kysely<unknown> | undefined;

  /** @internal built by the SQL component's session factory. */
  constructor(host: SessionHost<SqlSession>, ctx: Context) {
    this.#host = host;
    this.#ctx = ctx;
    this.#autocommit = host.autocommit;
    this.#readOnly = host.readOnly;
    // Only a session that may hold a transaction is found by its children's sessions (join, nested)
    // and by afterCommit: an autocommit one costs no WeakMap entries.
    if (!this.#autocommit) {
      host.sessions.set(ctx, this);
      attachTransactionScope(ctx, this);
    }
  }

  /** `postgres` or `sqlite`. */
  get dialect(): SqlDialect {
    return this.#host.driver.dialect;
  }

  /** Whether a transaction (or savepoint) of this session is open now. */
  get inTransaction(): boolean {
    return this.#open && this.#lease !== undefined && this.#mode !== 'autocommit';
  }

  /**
   * Sets this context's options; call it before the first statement (later it throws).
   * @example (await child.getResource(SqlSession)).configure({ propagation: 'nested' });
   */
  configure(options: SqlSessionOptions): this {
    if (this.#mode !== undefined) {
      throw new SqlSessionError('session.configure(): this session has already run a statement (or deferred work); configure it first');
    }
    const autocommit = options.autocommit ?? this.#autocommit;
    const readOnly = options.readOnly ?? this.#readOnly;
    if (autocommit && options.readOnly) {
      throw new InvalidArgumentError('session.configure(): readOnly needs a transaction; it cannot be combined with autocommit');
    }
    if (options.propagation !== undefined && !['join', 'nested', 'new'].includes(options.propagation)) {
      throw new InvalidArgumentError(`session.configure(): propagation must be 'join', 'nested' or 'new', got ${JSON.stringify(options.propagation)}`);
    }
    if (!autocommit && this.#autocommit) {
      this.#host.sessions.set(this.#ctx, this);
      attachTransactionScope(this.#ctx, this);
    }
    this.#autocommit = autocommit;
    this.#readOnly = autocommit ? false : readOnly;
    this.#propagation = options.propagation ?? this.#propagation;
    return this;
  }

  /**
   * Runs one statement with `params` (`$1`... on PostgreSQL, `?` on SQLite), or a statement built
   * by the {@link sql} tag, in this context's transaction.
   */
  query<R = SqlRow>(statement: string | SqlStatement, params: readonly unknown[] = noParams): Promise<SqlResult<R>> {
    const dialect = this.#host.driver.dialect;
    const text = typeof statement === 'string' ? statement : statement.text(dialect);
    const values = typeof statement === 'string' ? params : statement.values;
    let mode: Mode;
    try {
      mode = this.#mode ?? this.#resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    if (mode === 'autocommit') {
      if (!this.#open) return Promise.reject(closedError(this.#endedBecause));
      return this.#host.driver.query(text, values) as Promise<SqlResult<R>>;
    }
    return this.#inTransaction(text, values) as Promise<SqlResult<R>>;
  }

  /**
   * The tag form of {@link SqlSession.query}: values become parameters; resolves to the rows.
   * @example const [note] = await session.sql<Note>`select * from notes where id = ${id}`;
   */
  async sql<R = SqlRow>(strings: TemplateStringsArray, ...values: readonly unknown[]): Promise<R[]> {
    return (await this.query<R>(new SqlStatement(strings, values))).rows;
  }

  /**
   * The rows of a big result one at a time, fetched in batches (a cursor on PostgreSQL, an
   * iterator on SQLite); the connection runs nothing else until the loop ends.
   */
  async *stream<R = SqlRow>(statement: string | SqlStatement, params: readonly unknown[] = noParams, options: SqlStreamOptions = {}): AsyncGenerator<R> {
    const text = typeof statement === 'string' ? statement : statement.text(this.#host.driver.dialect);
    const values = typeof statement === 'string' ? params : statement.values;
    const batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`session.stream(): batchSize must be an integer >= 1, got ${batchSize}`);
    if ((this.#mode ?? this.#resolve()) === 'autocommit') {
      if (!this.#open) throw closedError(this.#endedBecause);
      const lease = await this.#host.driver.acquire();
      try {
        yield* lease.stream(text, values, batchSize) as AsyncGenerator<R>;
      } finally {
        lease.release(false);
      }
      return;
    }
    const lease = await this.#leaseForStatement();
    yield* lease.stream(text, values, batchSize) as AsyncGenerator<R>;
  }

  /**
   * A Kysely instance on this session: its queries run in this context's transaction, and its
   * `transaction()` takes a savepoint. Needs the optional peer dependency `kysely` (0.28).
   */
  kysely<DB>(): Kysely<DB> {
    return (this.#kysely ??= kyselyFor<unknown>(this, this.#host.driver.dialect)) as unknown as Kysely<DB>;
  }

  /** TransactionScope: whether work deferred with `afterCommit` waits for this session's commit. */
  get active(): boolean {
    return this.#open && (this.#mode ?? this.#resolve()) !== 'autocommit';
  }

  /** TransactionScope: runs `fn` after this context's transaction commits, never after a rollback. */
  defer(fn: () => unknown): void {
    const mode = this.#mode ?? this.#resolve();
    if (mode === 'join') this.#parent!.defer(fn);
    else if (mode === 'autocommit') this.#host.runDeferred([fn]);
    else (this.#deferred ??= []).push(fn);
  }

  /**
   * Ends the unit of work (the context's teardown calls it): commits when `error` is undefined,
   * rolls back otherwise, and gives the connection back.
   * @throws SqlCommitError when the commit failed (nothing was committed).
   */
  async close(error?: unknown): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#host.sessions.delete(this.#ctx);
    this.#endedBecause = error === undefined ? 'its context closed' : 'its context closed with an error';
    switch (this.#mode) {
      case undefined:
      case 'autocommit':
        return;
      case 'join':
        if (error !== undefined) this.#parent!.#rollbackOnly ??= error;
        return;
      default:
        await this.#end(error);
    }
  }

  /** @internal at stop: rolls back a session still open after the drain time. */
  async abort(reason: string): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#host.sessions.delete(this.#ctx);
    this.#endedBecause = reason;
    await this.#end(new SqlSessionError(`rolled back: ${reason}`));
  }

  #resolve(): Mode {
    if (this.#autocommit) return (this.#mode = 'autocommit');
    let ancestor: SqlSession | undefined;
    for (let at = this.#ctx.parent; at !== undefined && ancestor === undefined; at = at.parent) {
      const found = this.#host.sessions.get(at);
      if (found !== undefined && found.#open) ancestor = found;
    }
    if (ancestor === undefined) return (this.#mode = 'own');
    const ancestorMode = ancestor.#mode ?? ancestor.#resolve();
    if (this.#propagation === 'new') {
      if (this.#host.driver.singleConnection && ancestorMode !== 'autocommit') {
        throw new SqlSessionError(
          `propagation 'new' needs a second connection, but this ${this.dialect} database has one (held by the parent context's ` +
            "session until it ends); use propagation 'nested' (a savepoint) instead",
        );
      }
      return (this.#mode = 'own');
    }
    if (ancestorMode === 'autocommit') return (this.#mode = this.#propagation === 'join' ? 'autocommit' : 'own');
    this.#parent = ancestor;
    return (this.#mode = this.#propagation === 'join' ? 'join' : 'nested');
  }

  async #inTransaction(text: string, values: readonly unknown[]): Promise<SqlResult> {
    const lease = await this.#leaseForStatement();
    const started = performance.now();
    try {
      return await lease.query(text, values);
    } catch (error) {
      if (this.dialect === 'postgres') this.#markAborted(error);
      throw error;
    } finally {
      this.#owner().#sqlMs += performance.now() - started;
    }
  }

  /** The connection of this session's transaction, opened (checkout + BEGIN, or SAVEPOINT) on first use. */
  #leaseForStatement(): Promise<SqlLease> {
    if (!this.#open) return Promise.reject(closedError(this.#endedBecause));
    if (this.#mode === 'join') return this.#parent!.#open ? this.#parent!.#leaseForStatement() : Promise.reject(outlivedError(this.#parent!.#endedBecause));
    return (this.#ready ??= this.#mode === 'nested' ? this.#openSavepoint() : this.#openTransaction());
  }

  async #openTransaction(): Promise<SqlLease> {
    if (this.#host.stopped !== undefined) throw new SqlSessionError(`cannot start a transaction: ${this.#host.stopped}`);
    const lease = await this.#host.driver.acquire();
    this.#acquiredAt = performance.now();
    this.#host.open.add(this);
    try {
      await lease.begin(this.#readOnly);
    } catch (error) {
      this.#release(lease, true);
      throw error;
    }
    return (this.#lease = lease);
  }

  async #openSavepoint(): Promise<SqlLease> {
    const parent = this.#parent!;
    if (!parent.#open) throw outlivedError(this.#parent!.#endedBecause);
    const lease = await parent.#leaseForStatement();
    const owner = this.#owner();
    this.#savepoint = `asphalt_sp_${++owner.#savepoints}`;
    await lease.query(`SAVEPOINT ${this.#savepoint}`, noParams);
    return (this.#lease = lease);
  }

  /** The session whose connection this one uses (itself, unless it joined or nested). */
  #owner(): SqlSession {
    return this.#parent === undefined ? this : this.#parent.#owner();
  }

  #markAborted(error: unknown): void {
    if (this.#mode === 'join') this.#parent!.#markAborted(error);
    else this.#aborted ??= error;
  }

  async #end(error: unknown): Promise<void> {
    const ready = this.#ready;
    const deferred = this.#deferred ?? [];
    this.#deferred = undefined;
    if (ready === undefined) {
      // Nothing ran: nothing to commit, but deferred work still follows the outcome.
      if (error === undefined) this.#passOn(deferred);
      return;
    }
    let lease: SqlLease;
    try {
      lease = await ready;
    } catch {
      return; // checkout or BEGIN failed: the statement that needed it has failed already
    }
    if (this.#mode === 'nested') await this.#endSavepoint(lease, error, deferred);
    else await this.#endTransaction(lease, error, deferred);
  }

  async #endTransaction(lease: SqlLease, error: unknown, deferred: Deferred[]): Promise<void> {
    const failure = error ?? this.#rollbackOnly ?? this.#aborted;
    let broken = false;
    try {
      if (failure !== undefined) {
        try {
          await lease.rollback();
        } catch (rollbackError) {
          broken = true;
          if (error === undefined) throw notCommitted(`ROLLBACK failed too (${errorMessage(rollbackError)})`, failure, failure === this.#rollbackOnly);
          this.#host.rollbackFailed(rollbackError);
        }
        if (error === undefined) throw notCommitted('rolled back', failure, failure === this.#rollbackOnly);
        return;
      }
      try {
        await lease.commit();
      } catch (commitError) {
        try {
          await lease.rollback(); // SQLite keeps the transaction open after a failed COMMIT
        } catch {
          broken = true;
        }
        throw new SqlCommitError(`COMMIT failed, nothing was committed: ${errorMessage(commitError)}`, { cause: commitError });
      }
      this.#host.runDeferred(deferred);
    } finally {
      this.#release(lease, broken);
    }
  }

  async #endSavepoint(lease: SqlLease, error: unknown, deferred: Deferred[]): Promise<void> {
    const failure = error ?? this.#rollbackOnly ?? this.#aborted;
    const parent = this.#parent!;
    if (!parent.#open || lease.broken) return; // the parent's transaction has ended: so has the savepoint
    if (failure !== undefined) {
      await lease.query(`ROLLBACK TO SAVEPOINT ${this.#savepoint}`, noParams);
      await lease.query(`RELEASE SAVEPOINT ${this.#savepoint}`, noParams);
      if (error === undefined) throw notCommitted('rolled back to its savepoint', failure, failure === this.#rollbackOnly);
      return;
    }
    try {
      await lease.query(`RELEASE SAVEPOINT ${this.#savepoint}`, noParams);
    } catch (releaseError) {
      parent.#markAborted(releaseError);
      throw new SqlCommitError(`RELEASE SAVEPOINT failed: ${errorMessage(releaseError)}`, { cause: releaseError });
    }
    this.#passOn(deferred);
  }

  /** Deferred work of a unit that ended cleanly: its parent's (savepoint), or run now (own transaction). */
  #passOn(deferred: Deferred[]): void {
    if (deferred.length === 0) return;
    if (this.#mode === 'nested' && this.#parent!.#open) for (const fn of deferred) this.#parent!.defer(fn);
    else this.#host.runDeferred(deferred);
  }

  #release(lease: SqlLease, broken: boolean): void {
    lease.release(broken);
    this.#host.open.delete(this);
    this.#host.released(this, performance.now() - this.#acquiredAt, this.#sqlMs);
  }
}
