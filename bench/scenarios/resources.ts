import { Container } from 'inversify';
import { asValue } from 'awilix';
import { Context as EffectContext } from 'effect';
import type { Context } from '../../lib';
import { compare, type Case, type Result, type Scenario } from '../harness';
import {
  asphaltContext,
  awilixContainer,
  Database,
  DatabaseService,
  DbToken,
  effectContext,
  inversifyContainer,
  plainMap,
  replica,
  Resource,
} from '../fixtures';

// Fairness: every case is the same loop, `sum += <one lookup>.id`, written out per case so each
// call site is monomorphic; the lookup is the only thing that differs. The checksum (sum of ids)
// is verified by the harness, so no lookup can be optimised away or return the wrong value. All
// peers hold the same 50 unrelated resources besides the one looked up (see ../fixtures).

const INVERSIFY = 'inversify container.get';

async function singleton(): Promise<Result> {
  const ctx = asphaltContext();
  const container = inversifyContainer();
  const awilix = awilixContainer();
  const services = effectContext();
  const map = plainMap();
  const cases: Case[] = [
    {
      name: 'asphalt getResourceNowait(class)',
      peer: 'asphalt',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += ctx.getResourceNowait(Database).id;
        return sum;
      },
    },
    {
      name: 'asphalt getResourceNowait(token)',
      peer: 'asphalt',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += ctx.getResourceNowait(DbToken).id;
        return sum;
      },
    },
    {
      name: INVERSIFY,
      peer: 'inversify',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += container.get(Database).id;
        return sum;
      },
    },
    {
      name: 'awilix container.resolve',
      peer: 'awilix',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += awilix.resolve<Database>('Database').id;
        return sum;
      },
    },
    {
      name: 'Effect Context.get',
      peer: 'effect',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += EffectContext.get(services, DatabaseService).id;
        return sum;
      },
    },
    {
      name: 'Map.get (baseline)',
      peer: 'baseline',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (map.get(Database) as Database).id;
        return sum;
      },
    },
  ];
  const comparison = await compare('Singleton lookup of a published resource', cases, INVERSIFY);
  for (const subject of ['asphalt getResourceNowait(class)', 'asphalt getResourceNowait(token)']) {
    comparison.target(`${subject} >= 1.5x inversify`, subject, INVERSIFY, 1.5);
    for (const peer of ['awilix container.resolve', 'Effect Context.get']) {
      comparison.target(`${subject} ahead of ${peer}`, subject, peer, 1);
    }
  }
  return comparison.result();
}

interface MapScope {
  readonly map: Map<unknown, unknown>;
  readonly parent: MapScope | undefined;
}

function lookupMapChain(scope: MapScope, key: unknown): unknown {
  for (let at: MapScope | undefined = scope; at !== undefined; at = at.parent) {
    const value = at.map.get(key);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A key each child level publishes one value under, as a request scope would. */
class RequestScoped extends Resource {}

async function chain(): Promise<Result> {
  // The resource lives on the root; the lookup runs from the great-grandchild. Each level holds one
  // resource of its own. asphalt caches what a context found on its first lookup; the peers walk
  // their parents on every lookup (that is their design, so it is what they are measured doing).
  let ctx: Context = asphaltContext();
  let container = inversifyContainer();
  let awilix = awilixContainer();
  let scope: MapScope = { map: plainMap(), parent: undefined };
  for (let level = 1; level <= 3; level++) {
    ctx = ctx.child();
    ctx.addResource(new RequestScoped(level), { types: [RequestScoped] });
    container = new Container({ parent: container });
    container.bind(RequestScoped).toConstantValue(new RequestScoped(level));
    awilix = awilix.createScope();
    awilix.register('RequestScoped', asValue(new RequestScoped(level)));
    scope = { map: new Map<unknown, unknown>([[RequestScoped, new RequestScoped(level)]]), parent: scope };
  }
  const leaf = ctx;
  const leafContainer = container;
  const leafAwilix = awilix;
  const leafScope = scope;
  leaf.getResourceNowait(Database); // the first lookup, which fills the great-grandchild's cache
  const cases: Case[] = [
    {
      name: 'asphalt 3-deep getResourceNowait',
      peer: 'asphalt',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += leaf.getResourceNowait(Database).id;
        return sum;
      },
    },
    {
      name: 'inversify 3-deep container.get',
      peer: 'inversify',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += leafContainer.get(Database).id;
        return sum;
      },
    },
    {
      name: 'awilix 3-deep scope.resolve',
      peer: 'awilix',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += leafAwilix.resolve<Database>('Database').id;
        return sum;
      },
    },
    {
      name: 'Map chain walk (baseline)',
      peer: 'baseline',
      checksumPerOp: 1,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (lookupMapChain(leafScope, Database) as Database).id;
        return sum;
      },
    },
  ];
  const comparison = await compare(
    'Lookup through a 3-deep child chain (resource on the root)',
    cases,
    'inversify 3-deep container.get',
  );
  return comparison.result();
}

async function named(): Promise<Result> {
  const ctx = asphaltContext({ named: true });
  const container = inversifyContainer({ named: true });
  const awilix = awilixContainer({ named: true });
  const byName = new Map<unknown, Map<string, unknown>>([[Database, new Map<string, unknown>([['replica', replica]])]]);
  const cases: Case[] = [
    {
      name: "asphalt getResourceNowait(Database, 'replica')",
      peer: 'asphalt',
      checksumPerOp: 2,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += ctx.getResourceNowait(Database, 'replica').id;
        return sum;
      },
    },
    {
      name: "inversify container.get(Database, { name })",
      peer: 'inversify',
      checksumPerOp: 2,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += container.get(Database, { name: 'replica' }).id;
        return sum;
      },
    },
    {
      name: "awilix resolve('Database_replica')",
      peer: 'awilix',
      checksumPerOp: 2,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += awilix.resolve<Database>('Database_replica').id;
        return sum;
      },
    },
    {
      name: "Map.get(key).get(name) (baseline)",
      peer: 'baseline',
      checksumPerOp: 2,
      run(n) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (byName.get(Database)?.get('replica') as Database).id;
        return sum;
      },
    },
  ];
  const comparison = await compare(
    'Named lookup',
    cases,
    "inversify container.get(Database, { name })",
  );
  return comparison.result();
}

export const resources: Scenario = {
  name: 'resources',
  description: 'singleton, 3-deep chain and named lookups vs inversify, awilix, Effect and Map',
  async run() {
    return [await singleton(), await chain(), await named()];
  },
};
