import { setTimeout as sleep } from 'node:timers/promises';
import { IsInt, Min } from 'class-validator';
import { AsphaltError, Component, component, type Context, requires } from 'asphalt-ts';
import { withCallOptions } from 'asphalt-ts/bridge';
import { Mailer } from './mailer';

export class SignupConfig {
  /** Milliseconds between two signups. */
  @IsInt() @Min(1) intervalMs = 100;
}

/**
 * Signs a user up every `intervalMs` and sends each a welcome mail. It requires a Mailer and
 * neither knows nor cares that the bridge imports it from another process.
 */
@component()
export class SignupComponent extends Component {
  @requires(Mailer) mailer!: Mailer;

  constructor(readonly config: SignupConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    let sent = 0;
    let failed = 0;
    let heard = 0;
    this.mailer.sent.connect(() => heard++);
    ctx.startServiceTask('signups', async (signal) => {
      const mailer = withCallOptions(this.mailer, { signal });
      for (let n = 1; !signal.aborted; n++) {
        try {
          const receipt = await mailer.send(`user${n}@example.com`, 'Welcome!');
          sent++;
          console.log(`signup ${n}: welcome mail sent by ${receipt.provider}`);
        } catch (error) {
          if (signal.aborted) break;
          failed++;
          console.log(`signup ${n}: failed: ${error instanceof AsphaltError ? `${error.code}: ` : ''}${(error as Error).message}`);
        }
        await sleep(this.config.intervalMs, undefined, { signal }).catch(() => undefined);
      }
      console.log(`signup: ${sent} sent, ${failed} failed, ${heard} sent event(s) heard`);
    });
  }
}
