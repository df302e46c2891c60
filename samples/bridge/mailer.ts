import { remote } from 'asphalt-ts/bridge';
import { Signal } from 'asphalt-ts';

/** What a sent mail returns. */
export interface Receipt {
  readonly to: string;
  readonly provider: string;
  readonly at: Date;
}

/**
 * The mailer's interface, shared by the provider and the consumer. `@remote` gives the key its
 * id on the wire ('Mailer', what the bridge configs name) and says what crosses: `send` may be
 * called remotely, `sent` events reach every consumer.
 */
@remote('Mailer', { methods: ['send'], signals: ['sent'] })
export abstract class Mailer {
  readonly sent = new Signal<{ to: string; provider: string }>({ name: 'Mailer.sent' });
  abstract send(to: string, subject: string): Promise<Receipt>;
}
