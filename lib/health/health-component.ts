import { IsInt, Min } from 'class-validator';
import { Component, type Context, provides } from '../index';
import { LoopMonitor } from '../workers/index';
import { HealthRegistry } from './health-registry';

/** Config of {@link HealthComponent}. */
export class HealthConfig {
  /** `/livez` fails after the event loop was blocked longer than this, in ms (0: never). */
  @IsInt() @Min(0) loopBlockedThreshold = 1_000;
  /** How long `/livez` keeps failing after such a block, in ms. */
  @IsInt() @Min(1) livenessWindow = 30_000;
}

/**
 * Publishes the application's {@link HealthRegistry} in `prepare()` (YAML `type: health`), so every
 * battery in the tree can contribute a check, and feeds it the lifecycle: readiness turns true once
 * this component's children have all started and false the instant its stop begins. Make it the
 * root of the tree (or the outermost component) so that "its children" is the whole application.
 *
 * @example
 * # config.yaml
 * component:
 *   type: health
 *   components:
 *     http: { type: http, port: 8080 }
 *     notes: { type: ./notes:NotesComponent }
 */
@provides(HealthRegistry)
export class HealthComponent extends Component {
  constructor(readonly config: HealthConfig = new HealthConfig()) {
    super();
  }

  override async prepare(ctx: Context): Promise<void> {
    const registry = new HealthRegistry();
    registry.livenessWindow = this.config.livenessWindow;
    ctx.addResource(registry, { types: [HealthRegistry], description: 'health checks' });
    const threshold = this.config.loopBlockedThreshold;
    if (threshold > 0) {
      const monitor = new LoopMonitor({ threshold, captureStack: false });
      monitor.blocked.connect((event) => registry.reportLoopBlocked({ ms: event.ms, threshold, component: event.component }));
      ctx.addTeardownCallback(() => monitor.stop());
    }
  }

  override async start(ctx: Context): Promise<void> {
    const registry = await ctx.getResource(HealthRegistry);
    registry.markReady();
    // A start-phase teardown: it runs first when the stop reaches this component, before its children stop.
    ctx.addTeardownCallback(() => registry.markStopping());
  }
}
