import { Component, type Context, Logger, provides, requires, stderrLogger } from '../index';
import { HealthRegistry } from '../health/index';
import { TemplateRenderer } from '../templating/index';
import { Mailer } from './mailer';
import { MailerConfig } from './mailer-config';
import { SmtpTransport } from './smtp-transport';

/**
 * Publishes a {@link Mailer} that sends through an SMTP server with nodemailer (YAML `type:
 * mailer`). At start it connects, upgrades to TLS and logs in once (`verifyOnStart`), so a wrong
 * host, port or password stops the start with a coded error. `sendTemplate` renders with the
 * `TemplateRenderer` named by `templates` when one is in the tree. At stop it refuses new mail,
 * waits for deliveries under way, then closes the transport. Contributes a health check.
 *
 * @example
 * components:
 *   templates: { type: templates, folder: ./templates }
 *   mailer:
 *     type: mailer
 *     host: smtp.example.com
 *     port: 587
 *     requireTLS: true
 *     auth: { user: app, pass: !Env SMTP_PASSWORD }
 *     defaults: { from: 'App <app@example.com>' }
 */
@provides(Mailer)
export class MailerComponent extends Component {
  /** Optional so that `asphalt check` and `graph` resolve without bootstrap's logger; warnings and errors go to stderr then. */
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;
  @requires(TemplateRenderer, { optional: true, name: (config: MailerConfig) => config.templates }) templates?: TemplateRenderer;

  constructor(readonly config: MailerConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const c = this.config;
    const logger = this.logger ?? stderrLogger;
    const label = `mailer (smtp ${c.host}:${c.port})`;
    const transport = new SmtpTransport({
      host: c.host,
      port: c.port,
      secure: c.secure,
      requireTLS: c.requireTLS,
      ignoreTLS: c.ignoreTLS,
      auth: c.auth,
      tls: c.tls,
      pool: c.pool,
      maxConnections: c.maxConnections,
      connectionTimeout: c.connectionTimeout,
      greetingTimeout: c.greetingTimeout,
      socketTimeout: c.socketTimeout,
      allowFileAttachments: c.allowFileAttachments,
      allowUrlAttachments: c.allowUrlAttachments,
      logger,
      label,
    });
    ctx.addTeardownCallback(() => transport.close());
    if (c.verifyOnStart) {
      await transport.verify();
      logger.info({ host: c.host, port: c.port }, `${label}: the SMTP server accepted the connection${c.auth ? ' and the login' : ''}`);
    }
    const { from, replyTo, headers } = c.defaults;
    const mailer = new Mailer({ transport, defaults: { from, replyTo, headers }, templates: this.templates, logger, label });
    ctx.addResource(mailer, {
      types: [Mailer],
      description: `mail through ${c.host}:${c.port}`,
      teardown: async () => {
        mailer.close();
        await mailer.drain();
      },
    });
    if (this.health !== undefined) {
      const name = [...ctx.getResources(Mailer)].find(([, value]) => value === mailer)?.[0] ?? 'default';
      const remove = this.health.add(name === 'default' ? 'mailer' : `mailer:${name}`, async () => {
        await transport.verify();
        return { host: c.host, port: c.port };
      }, { timeout: c.connectionTimeout + c.greetingTimeout, cacheFor: c.healthCacheFor });
      ctx.addTeardownCallback(remove);
    }
  }
}
