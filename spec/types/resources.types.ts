// The typing claims of the README about keys, contexts and signals (README "Use it", STYLE habit 3).
import {
  bootstrap,
  Component,
  Context,
  Signal,
  token,
  type Application,
  type KeyType,
  type ResourceKey,
  type Token,
} from '../../lib';
import { assertType, exact, typeOf, type Equal } from './expect-type';

interface Pool {
  query(sql: string): Promise<unknown[]>;
}
const Db = token<Pool>('Db');
abstract class Clock {
  abstract now(): number;
}

export async function lookups(ctx: Context): Promise<void> {
  // `ctx.getResource(Db)` is a Promise<Pool>, no cast.
  const pending = ctx.getResource(Db);
  exact<Promise<Pool>>()(pending);
  const pool = await pending;
  exact<Pool>()(pool);
  // A class key (abstract too) gives its instance type.
  const clock = await ctx.getResource(Clock);
  exact<Clock>()(clock);
  // optional: the value may be missing.
  const maybe = await ctx.getResource(Db, undefined, { optional: true });
  exact<Pool | undefined>()(maybe);
  const now = ctx.getResourceNowait(Db);
  exact<Pool>()(now);
  const nowMaybe = ctx.getResourceNowait(Db, 'replica', { optional: true });
  exact<Pool | undefined>()(nowMaybe);
  const all = ctx.getResources(Db);
  exact<ReadonlyMap<string, Pool>>()(all);
  // @ts-expect-error a Pool has no method 'execute'
  await (await ctx.getResource(Db)).execute('select 1');
}

export function keys(): void {
  exact<Token<Pool>>()(Db);
  assertType<Equal<KeyType<typeof Db>, Pool>>(true);
  assertType<Equal<KeyType<typeof Clock>, Clock>>(true);
  const key: ResourceKey<Pool> = Db;
  // @ts-expect-error a token of Pool is not a key of Clock
  const wrong: ResourceKey<Clock> = Db;
  typeOf([key, wrong]);
  // @ts-expect-error a plain string is not a key
  const notAKey: ResourceKey<Pool> = 'Db';
  typeOf(notAKey);
}

export function publishing(ctx: Context, pool: Pool): void {
  ctx.addResource(pool, { types: [Db] });
  ctx.addResourceFactory(() => pool, { types: [Db] });
  ctx.addResourceFactory(async () => pool, { types: [Db] });
  // @ts-expect-error a number is not a Pool
  ctx.addResource(42, { types: [Db] });
  // @ts-expect-error the factory must build a Pool
  ctx.addResourceFactory(() => 'pool', { types: [Db] });
}

export async function signals(): Promise<void> {
  const sent = new Signal<{ to: string }>();
  sent.connect((event) => void exact<{ to: string }>()(event));
  // @ts-expect-error the event has a 'to', not a 'from'
  sent.connect((event) => event.from);
  const first = await sent.waitFor((event) => event.to.endsWith('.org'));
  exact<{ to: string }>()(first);
  // @ts-expect-error dispatch takes the signal's event type
  sent.dispatch({ from: 'x' });
}

export async function applications(): Promise<void> {
  class App extends Component {}
  const app = await bootstrap(App);
  exact<Application>()(app);
  assertType<Equal<typeof app.context, Context>>(true);
}
