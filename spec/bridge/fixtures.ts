import { setTimeout as sleep } from 'node:timers/promises';
import { IsString } from 'class-validator';
import { bootstrap, Component, component, ContainerComponent, requires, Signal, silentLogger, type Application, type Context } from '../../lib';
import { provides } from '../../lib/components/provides';
import '../../lib/bridge/bridge-component';
import { remote } from '../../lib/bridge/remote';

/** What `send` returns. */
export interface Receipt {
  readonly to: string;
  readonly provider: string;
  readonly at: Date;
}

/** An error with a code, as libraries throw them. */
export class MailboxFullError extends Error {
  readonly code = 'E_MAILBOX_FULL';
  override readonly name = 'MailboxFullError';
}

/** The remote interface shared by the providers and the consumers of these specs. */
@remote('SpecMailer', { methods: ['send', 'fail', 'slow', 'echo'], signals: ['sent'] })
export abstract class Mailer {
  readonly sent = new Signal<{ to: string; provider: string }>({ name: 'Mailer.sent' });
  abstract send(to: string): Promise<Receipt>;
  abstract fail(message: string): Promise<never>;
  abstract slow(ms: number): Promise<string>;
  abstract echo(value: unknown): Promise<unknown>;
  /** Exists on the provider but is not declared remote. */
  abstract local(): Promise<string>;
}

/** A mailer that records what it did. */
export class RecordingMailer extends Mailer {
  readonly calls: string[] = [];
  localCalls = 0;
  constructor(readonly provider: string) {
    super();
  }
  async send(to: string): Promise<Receipt> {
    this.calls.push(`send ${to}`);
    this.sent.dispatch({ to, provider: this.provider });
    return { to, provider: this.provider, at: new Date('2024-05-01T12:00:00Z') };
  }
  async fail(message: string): Promise<never> {
    throw new MailboxFullError(message);
  }
  async slow(ms: number): Promise<string> {
    this.calls.push(`slow ${ms}`);
    await sleep(ms);
    return `${this.provider} after ${ms} ms`;
  }
  async echo(value: unknown): Promise<unknown> {
    return value;
  }
  async local(): Promise<string> {
    this.localCalls++;
    return 'local';
  }
}

export class MailerComponentConfig {
  @IsString() provider = 'provider';
}

@provides(Mailer)
@component()
export class MailerComponent extends Component {
  readonly mailer: RecordingMailer;
  constructor(readonly config: MailerComponentConfig) {
    super();
    this.mailer = new RecordingMailer(config.provider);
  }
  override async start(ctx: Context): Promise<void> {
    ctx.addResource(this.mailer, { types: [Mailer] });
  }
}

/** A consumer that requires the mailer, as any component would. */
export class SignupComponent extends Component {
  @requires(Mailer) mailer!: Mailer;
}

/** A provider process: a mailer and a bridge that exports it. */
export async function startProvider(url: string, provider: string, bridge: Record<string, unknown> = {}): Promise<Application> {
  return bootstrap(
    ContainerComponent,
    {
      components: {
        mailer: { type: MailerComponent, provider },
        bridge: { type: 'bridge', servers: [url], export: [{ key: 'SpecMailer' }], providerId: provider, ...bridge },
      },
    },
    { logger: silentLogger },
  );
}

/** The consumer's bridge config. */
export function consumerConfig(url: string, bridge: Record<string, unknown> = {}, imports: Record<string, unknown> = {}): object {
  return {
    components: {
      signup: { type: SignupComponent },
      bridge: { type: 'bridge', servers: [url], import: [{ key: 'SpecMailer', ...imports }], ...bridge },
    },
  };
}

/** A consumer process: a component that @requires(Mailer), satisfied by the bridge. */
export async function startConsumer(url: string, bridge: Record<string, unknown> = {}, imports: Record<string, unknown> = {}): Promise<{ app: Application; mailer: Mailer }> {
  const app = await bootstrap(ContainerComponent, consumerConfig(url, bridge, imports), { logger: silentLogger });
  return { app, mailer: await app.context.getResource(Mailer) };
}

/** The mailer a provider app serves. */
export function recorder(app: Application): RecordingMailer {
  return app.context.getResourceNowait(Mailer) as RecordingMailer;
}

/** `promise`'s rejection, for asserting on it. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection, but it resolved');
}
