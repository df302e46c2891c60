import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, type Logger } from '../../lib';
import { HealthComponent } from '../../lib/health';
import { MailerComponent } from '../../lib/mailer';
import { TemplatesComponent } from '../../lib/templating';

/** A folder with a `welcome` mail: subject, text and html templates. */
export function mailTemplates(): string {
  const folder = mkdtempSync(join(tmpdir(), 'asphalt-mail-templates-'));
  writeFileSync(join(folder, 'welcome.subject.liquid'), 'Welcome, {{ user.name }}!\n');
  writeFileSync(join(folder, 'welcome.text.liquid'), 'Hello {{ user.name }}, your code is {{ code }}.');
  writeFileSync(join(folder, 'welcome.html.liquid'), '<p>Hello <b>{{ user.name }}</b>, your code is {{ code }}.</p>');
  return folder;
}

/** An application with health, the mailer (with `mailer` config) and, when `templates` is a folder, templates. */
export function mailApp(mailer: Record<string, unknown>, templates?: string): new () => Component {
  return class MailApp extends Component {
    constructor() {
      super();
      this.addComponent('health', HealthComponent);
      if (templates !== undefined) this.addComponent('templates', TemplatesComponent, { folder: templates });
      this.addComponent('mailer', MailerComponent, mailer);
    }
  };
}

/** A logger that keeps what was logged at error level. */
export function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const ignore = (): void => undefined;
  return {
    errors,
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (objOrMessage, message) => void errors.push(typeof objOrMessage === 'string' ? objOrMessage : (message ?? '')),
  };
}
