import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, ComponentStartError } from '../../lib';
import { HealthComponent, HealthRegistry } from '../../lib/health';
import { TemplateRenderer, TemplatesComponent } from '../../lib/templating';
import { startTestApp } from '../../lib/testing';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'asphalt-templates-'));
  writeFileSync(join(folder, 'hello.liquid'), 'Hello {{ name }}');
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function rootWith(config: Record<string, unknown>): new () => Component {
  return class Root extends Component {
    constructor() {
      super();
      this.addComponent('health', HealthComponent);
      this.addComponent('templates', TemplatesComponent, config);
    }
  };
}

describe('the templates component', () => {
  it('publishes a TemplateRenderer over its folder and a health check', async () => {
    const app = await startTestApp(rootWith({ folder }));
    const renderer = await app.context.getResource(TemplateRenderer);
    expect(await renderer.render('hello', { name: 'Ada' })).toBe('Hello Ada');
    const health = await app.context.getResource(HealthRegistry);
    expect(await health.run()).toMatchObject({ status: 'ok', info: { templates: { status: 'up', folder } } });
    rmSync(folder, { recursive: true, force: true });
    expect(await health.run()).toMatchObject({ status: 'error', error: { templates: { status: 'down' } } });
  });

  it('stops the start on a template that does not parse, naming the file and line', async () => {
    writeFileSync(join(folder, 'broken.liquid'), 'x\n{% if a %}');
    const error = await startTestApp(rootWith({ folder })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComponentStartError);
    expect((error as ComponentStartError).cause).toMatchObject({ code: 'ASPHALT_TEMPLATING_SYNTAX', location: { file: 'broken.liquid', line: 2 } });
  });

  it('starts with checkOnStart off and reports the broken template at its first render', async () => {
    writeFileSync(join(folder, 'broken.liquid'), 'x\n{% if a %}');
    const app = await startTestApp(rootWith({ folder, checkOnStart: false }));
    await expect((await app.context.getResource(TemplateRenderer)).render('broken')).rejects.toMatchObject({ code: 'ASPHALT_TEMPLATING_SYNTAX' });
  });

  it('stops the start when the folder does not exist', async () => {
    const error = await startTestApp(rootWith({ folder: join(folder, 'missing') })).catch((e: unknown) => e);
    expect((error as ComponentStartError).cause).toMatchObject({ code: 'ASPHALT_TEMPLATING_FOLDER' });
    expect(((error as ComponentStartError).cause as Error).message).toContain(join(folder, 'missing'));
  });
});
