import { Component, type Context, provides } from '../index';
import { HealthRegistry } from './health-registry';

/**
 * Publishes the application's {@link HealthRegistry} in `prepare()` (YAML `type: health`), so every
 * battery in the tree can contribute a check. Put it at the top of the tree.
 */
@provides(HealthRegistry)
export class HealthComponent extends Component {
  override async prepare(ctx: Context): Promise<void> {
    ctx.addResource(new HealthRegistry(), { types: [HealthRegistry], description: 'health checks' });
  }
}
