import { Component, type Context, InvalidArgumentError, provides, requires, token } from '../../lib';
import { startTestApp } from '../../lib/testing';

export const Mailer = token<{ send(to: string): string }>('Mailer');
export const MailStats = token<{ sent: number }>('MailStats');

@provides(Mailer)
@provides(MailStats)
class MailerComponent extends Component {
  override async start(ctx: Context): Promise<void> {
    ctx.addResource({ send: (to: string) => `mail to ${to}` }, { types: [Mailer] });
    ctx.addResource({ sent: 0 }, { types: [MailStats] });
  }
}

class Newsletter extends Component {
  @requires(Mailer) mailer!: { send(to: string): string };
}

class App extends Component {
  constructor() {
    super();
    this.addComponent('mailer', MailerComponent);
    this.addComponent('newsletter', Newsletter);
  }
}

/** A fake that forgot the @provides of the component it replaces. */
class ForgetfulMailer extends Component {
  override async start(ctx: Context): Promise<void> {
    ctx.addResource({ send: (to: string) => `fake mail to ${to}` }, { types: [Mailer] });
  }
}

describe('startTestApp: a component override without the replaced component’s @provides', () => {
  it('says it replaced root.mailer, what the original provided, who needs it, and how to declare it', async () => {
    const error = await startTestApp(App, {}, { overrides: [{ component: 'root.mailer', with: ForgetfulMailer }] }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error!.message).toBe(
      "startTestApp: { component: 'root.mailer', with: ForgetfulMailer } replaced root.mailer (MailerComponent), which provided " +
        "token(Mailer) 'default', token(MailStats) 'default'; ForgetfulMailer does not provide token(Mailer) 'default', which " +
        'root.newsletter requires. Declare it on the fake and publish it in start(): @provides(Mailer) class ForgetfulMailer ' +
        'extends Component { ... }, or override the resource instead: { resource: Mailer, value: fake }',
    );
  });

  it('accepts a fake that provides less when nothing requires what it leaves out', async () => {
    @provides(Mailer)
    class FakeMailer extends ForgetfulMailer {}
    const app = await startTestApp(App, {}, { overrides: [{ component: 'root.mailer', with: FakeMailer }] });
    expect((await app.context.getResource(Mailer)).send('ann')).toBe('fake mail to ann');
  });
});
