import { setTimeout as sleep } from 'node:timers/promises';
import { IsInt, IsString, Min } from 'class-validator';
import { Component, component, type Context, provides } from 'asphalt-ts';
import { Mailer, type Receipt } from './mailer';

/** A mailer that "sends" by printing. */
class ConsoleMailer extends Mailer {
  count = 0;
  constructor(
    readonly provider: string,
    readonly latencyMs: number,
  ) {
    super();
  }

  async send(to: string, subject: string): Promise<Receipt> {
    await sleep(this.latencyMs);
    this.count++;
    console.log(`${this.provider}: sent "${subject}" to ${to}`);
    this.sent.dispatch({ to, provider: this.provider });
    return { to, provider: this.provider, at: new Date() };
  }
}

export class ConsoleMailerConfig {
  @IsString() provider = 'provider';
  @IsInt() @Min(0) latencyMs = 20;
}

/** Publishes the Mailer locally; the bridge in the same process exports it. */
@provides(Mailer)
@component()
export class ConsoleMailerComponent extends Component {
  constructor(readonly config: ConsoleMailerConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const mailer = new ConsoleMailer(this.config.provider, this.config.latencyMs);
    ctx.addResource(mailer, {
      types: [Mailer],
      teardown: () => console.log(`${this.config.provider}: stopped after ${mailer.count} mail(s)`),
    });
  }
}
