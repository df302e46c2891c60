import { CLIApplicationComponent, type Context } from 'asphalt-ts';
import { Mailer, MailerComponent, Newsletter, NewsletterComponent, StoreComponent } from './components';

/** The application: three components wired by what they provide and require. */
export class NewsletterApp extends CLIApplicationComponent {
  constructor() {
    super();
    this.addComponent('newsletter', NewsletterComponent);
    this.addComponent('mailer', MailerComponent);
    this.addComponent('store', StoreComponent);
  }

  async run(ctx: Context): Promise<number> {
    const mailer = await ctx.getResource(Mailer);
    const stop = mailer.sent.connect(({ to, subject }) => console.log(`sent "${subject}" to ${to}`));
    const count = await (await ctx.getResource(Newsletter)).sendIssue('Issue #1');
    stop();
    console.log(`newsletter: ${count} mail(s) sent`);
    return 0;
  }
}
