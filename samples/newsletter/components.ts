import { IsInt, IsString, Min } from 'class-validator';
import { Component, component, type Context, provides, requires, Signal, token } from 'asphalt-ts';

/** A tiny in-memory subscriber store. */
export class SubscriberStore {
  readonly #emails: string[];
  constructor(emails: string[]) {
    this.#emails = emails;
  }
  async all(): Promise<string[]> {
    return [...this.#emails];
  }
}

/** Something that sends mail; here it only records what it sent. */
export interface Mailer {
  send(to: string, subject: string): Promise<void>;
  readonly sent: Signal<{ to: string; subject: string }>;
}
export const Mailer = token<Mailer>('Mailer');

export class StoreConfig {
  @IsString({ each: true }) subscribers: string[] = ['ada@example.com', 'alan@example.com'];
}

/** Publishes the subscriber store. */
@provides(SubscriberStore)
@component()
export class StoreComponent extends Component {
  constructor(readonly config: StoreConfig) {
    super();
  }
  override async start(ctx: Context): Promise<void> {
    await new Promise((r) => setTimeout(r, 5)); // "connecting"
    ctx.addResource(new SubscriberStore(this.config.subscribers));
  }
}

export class MailerConfig {
  @IsString() from = 'news@example.com';
  @IsInt() @Min(0) latencyMs = 5;
}

/** Publishes a Mailer that dispatches a signal for every mail sent. */
@provides(Mailer)
@component({ startTimeout: 2_000 })
export class MailerComponent extends Component {
  constructor(readonly config: MailerConfig) {
    super();
  }
  override async start(ctx: Context): Promise<void> {
    await new Promise((r) => setTimeout(r, 40)); // "handshake with the SMTP server"
    const sent = new Signal<{ to: string; subject: string }>({ name: 'sent' });
    const { latencyMs } = this.config;
    ctx.addResource<Mailer>(
      {
        sent,
        async send(to, subject) {
          await new Promise((r) => setTimeout(r, latencyMs));
          sent.dispatch({ to, subject });
        },
      },
      { types: [Mailer], teardown: () => console.log('mailer: connection closed') },
    );
  }
}

/** Sends an issue to every subscriber. */
export class Newsletter {
  constructor(
    readonly store: SubscriberStore,
    readonly mailer: Mailer,
  ) {}
  async sendIssue(subject: string): Promise<number> {
    const emails = await this.store.all();
    await Promise.all(emails.map((to) => this.mailer.send(to, subject)));
    return emails.length;
  }
}

/** Needs the store and the mailer; starts as soon as both are published. */
@provides(Newsletter)
@requires(SubscriberStore)
export class NewsletterComponent extends Component {
  @requires(Mailer) mailer!: Mailer;
  @requires(SubscriberStore) store!: SubscriberStore;

  override async start(ctx: Context): Promise<void> {
    ctx.addResource(new Newsletter(this.store, this.mailer));
  }
}
