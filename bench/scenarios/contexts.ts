import { Container } from 'inversify';
import { asValue } from 'awilix';
import { Context } from '../../lib';
import { compare, type Case, type Scenario } from '../harness';
import { asphaltContext, awilixContainer, Database, inversifyContainer } from '../fixtures';

// Fairness: each peer opens a child scope of a populated root, publishes one value in it and
// releases it, awaiting the release; one operation per loop turn, the same loop for all. inversify
// has no close, so its release is `unbindAllAsync()` (which runs deactivations); awilix's is
// `dispose()`. Informative: no target.
export const contexts: Scenario = {
  name: 'contexts',
  description: 'child context creation + one resource + close, vs inversify and awilix child scopes',
  async run() {
    const root = asphaltContext();
    const rootContainer = inversifyContainer();
    const rootAwilix = awilixContainer();
    const value = new Database(3);
    const cases: Case[] = [
      {
        name: 'asphalt new Context(parent) + addResource + close',
        peer: 'asphalt',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const ctx = new Context(root);
            ctx.addResource(value, { types: [Database] });
            await ctx.close();
            sum += ctx.state === 'closed' ? 1 : 0;
          }
          return sum;
        },
      },
      {
        name: 'inversify new Container({ parent }) + bind + unbindAllAsync',
        peer: 'inversify',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const container = new Container({ parent: rootContainer });
            container.bind(Database).toConstantValue(value);
            await container.unbindAllAsync();
            sum += container.isCurrentBound(Database) ? 0 : 1;
          }
          return sum;
        },
      },
      {
        name: 'awilix createScope + register + dispose',
        peer: 'awilix',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const scope = rootAwilix.createScope();
            scope.register('Database', asValue(value));
            await scope.dispose();
            sum++; // nothing to observe: dispose() keeps the registrations, it only clears the cache
          }
          return sum;
        },
      },
    ];
    const comparison = await compare(
      'Child context creation + one resource + close (informative)',
      cases,
      'inversify new Container({ parent }) + bind + unbindAllAsync',
    );
    return [comparison.result()];
  },
};
