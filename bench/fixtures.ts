import { Container } from 'inversify';
import { asValue, createContainer, type AwilixContainer } from 'awilix';
import { Context as EffectContext } from 'effect';
import { Context, token } from '../lib';

/**
 * The same world for every peer: one `Database` resource (id 1), a `replica` of it (id 2) and
 * `OTHER_KEYS` unrelated resources, so that no container answers from a trivially small map. Each
 * peer gets the keys in its own native form (a class for asphalt, inversify and `Map`; a string
 * for awilix; a `Context.Service` with the same string for Effect), built from the same names.
 */
export class Database {
  constructor(readonly id: number) {}
}

export class Resource {
  constructor(readonly id: number) {}
}

export const OTHER_KEYS = 50;

/** A token key for the same `Database`, as an application would declare it. */
export const DbToken = token<Database>('DbToken');

export const db = new Database(1);
export const replica = new Database(2);

function makeClasses(count: number, prefix: string): Array<typeof Resource> {
  const keys: Array<typeof Resource> = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    keys.push({ [name]: class extends Resource {} }[name]);
  }
  return keys;
}

export const otherKeys = makeClasses(OTHER_KEYS, 'Other');
const otherNames = otherKeys.map((key) => key.name);
const otherValues = otherKeys.map((_, i) => new Resource(i));

export const DatabaseService = EffectContext.Service<Database>('Database');
const otherServices = otherNames.map((name) => EffectContext.Service<Resource>(name));

export interface Published {
  /** Also publish `replica` under the name `'replica'` (inversify then needs `whenDefault()`). */
  readonly named?: boolean;
}

export function asphaltContext(options: Published = {}): Context {
  const ctx = new Context();
  otherKeys.forEach((key, i) => ctx.addResource(otherValues[i], { types: [key] }));
  ctx.addResource(db, { types: [Database, DbToken] });
  if (options.named) ctx.addResource(replica, { types: [Database], name: 'replica' });
  return ctx;
}

export function inversifyContainer(options: Published = {}): Container {
  const container = new Container();
  otherKeys.forEach((key, i) => container.bind(key).toConstantValue(otherValues[i]));
  if (options.named) {
    container.bind(Database).toConstantValue(db).whenDefault();
    container.bind(Database).toConstantValue(replica).whenNamed('replica');
  } else {
    container.bind(Database).toConstantValue(db);
  }
  return container;
}

export function awilixContainer(options: Published = {}): AwilixContainer {
  const container = createContainer();
  otherNames.forEach((name, i) => container.register(name, asValue(otherValues[i])));
  container.register('Database', asValue(db));
  // awilix has no names: the usual idiom is a composite registration name.
  if (options.named) container.register('Database_replica', asValue(replica));
  return container;
}

export function effectContext(): EffectContext.Context<Database> {
  let services: EffectContext.Context<Database> = EffectContext.make(DatabaseService, db);
  otherServices.forEach((service, i) => {
    services = EffectContext.add(services, service, otherValues[i]);
  });
  return services;
}

export function plainMap(): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>(otherKeys.map((key, i) => [key, otherValues[i]]));
  map.set(Database, db);
  return map;
}
