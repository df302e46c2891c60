import { Container } from 'inversify';
import { asFunction, asValue } from 'awilix';
import { Context, token } from '../../lib';
import { compare, type Case, type Scenario } from '../harness';
import { asphaltContext, awilixContainer, Database, inversifyContainer } from '../fixtures';

const RequestId = token<number>('RequestId');

// The per-unit-of-work path (a request, a job): open a child of a populated root, do the unit's
// lookups, close it. One operation per loop turn, the same loop shape for every peer. inversify has
// no close, so its release is `unbindAllAsync()`; awilix's is `dispose()`.
export const contexts: Scenario = {
  name: 'contexts',
  description: 'per-unit child contexts: one factory lookup, or addResource + lookup, + close; vs awilix and inversify scopes',
  async run() {
    const root = asphaltContext();
    let ids = 0;
    root.addResourceFactory(() => ++ids, { types: [RequestId] });
    const rootContainer = inversifyContainer();
    rootContainer.bind('RequestId').toDynamicValue(() => ++ids).inRequestScope();
    const rootAwilix = awilixContainer();
    rootAwilix.register('RequestId', asFunction(() => ++ids).scoped());
    const value = new Database(3);

    const factoryCases: Case[] = [
      {
        name: 'asphalt child + factory lookup + close',
        peer: 'asphalt',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const ctx = new Context(root);
            sum += ctx.getResourceNowait(RequestId) > 0 ? 1 : 0;
            await ctx.close();
          }
          return sum;
        },
      },
      {
        name: 'awilix createScope + scoped resolve + dispose',
        peer: 'awilix',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const scope = rootAwilix.createScope();
            sum += scope.resolve<number>('RequestId') > 0 ? 1 : 0;
            await scope.dispose();
          }
          return sum;
        },
      },
      {
        name: 'inversify child Container + get + unbindAllAsync',
        peer: 'inversify',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const container = new Container({ parent: rootContainer });
            sum += container.get<number>('RequestId') > 0 ? 1 : 0;
            await container.unbindAllAsync();
          }
          return sum;
        },
      },
    ];
    const factory = await compare('Per-unit context: child + one factory lookup + close', factoryCases, 'awilix createScope + scoped resolve + dispose');

    const addCases: Case[] = [
      {
        name: 'asphalt child + addResource + lookup + close',
        peer: 'asphalt',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const ctx = new Context(root);
            ctx.addResource(value, { types: [Database], name: 'unit' });
            sum += ctx.getResourceNowait(Database, 'unit') === value ? 1 : 0;
            await ctx.close();
          }
          return sum;
        },
      },
      {
        name: 'awilix createScope + register + resolve + dispose',
        peer: 'awilix',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const scope = rootAwilix.createScope();
            scope.register('unit', asValue(value));
            sum += scope.resolve('unit') === value ? 1 : 0;
            await scope.dispose();
          }
          return sum;
        },
      },
      {
        name: 'inversify child Container + bind + get + unbindAllAsync',
        peer: 'inversify',
        checksumPerOp: 1,
        async run(n) {
          let sum = 0;
          for (let i = 0; i < n; i++) {
            const container = new Container({ parent: rootContainer });
            container.bind('unit').toConstantValue(value);
            sum += container.get('unit') === value ? 1 : 0;
            await container.unbindAllAsync();
          }
          return sum;
        },
      },
    ];
    const add = await compare('Per-unit context: child + addResource + lookup + close', addCases, 'awilix createScope + register + resolve + dispose');
    add.target('child + addResource + lookup + close ahead of awilix', 'asphalt child + addResource + lookup + close', 'awilix createScope + register + resolve + dispose', 1);
    const perOpUs = 1e6 / factory.rows.find((r) => r.peer === 'asphalt')!.median;
    console.log(`  child + one factory lookup + close: ${perOpUs.toFixed(2)} µs per unit (target: at most 1 µs) ${perOpUs <= 1 ? 'PASS' : 'MISS'}`);
    return [factory.result(), add.result()];
  },
};
