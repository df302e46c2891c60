import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateNotFoundError, TemplateRenderError, TemplateRenderer, TemplateSyntaxError } from '../../lib/templating';

let folder: string;

function write(name: string, text: string): void {
  writeFileSync(join(folder, name), text);
}

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'asphalt-templates-'));
  mkdirSync(join(folder, 'mail'));
  write('welcome.html.liquid', '<p>Hello {{ user.name }}!</p>');
  write('mail/signature.liquid', '-- {{ team }}');
  write('note.text.liquid', 'Note: {{ title }}\n{% include "mail/signature.liquid" %}');
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('TemplateRenderer', () => {
  it('renders a template of the folder by name, escaping HTML in what it outputs', async () => {
    const renderer = new TemplateRenderer({ folder });
    expect(await renderer.render('welcome.html', { user: { name: '<b>Ada</b> & co' } })).toBe('<p>Hello &lt;b&gt;Ada&lt;/b&gt; &amp; co!</p>');
    expect(await renderer.render('welcome.html.liquid', { user: { name: 'Ada' } })).toBe('<p>Hello Ada!</p>');
  });

  it('leaves output as it is with the raw filter, with autoescape off, or when a call asks', async () => {
    const vars = { title: '<i>x</i>', team: 'A&B' };
    expect(await new TemplateRenderer({ folder }).renderString('{{ title | raw }}', vars)).toBe('<i>x</i>');
    expect(await new TemplateRenderer({ folder, autoescape: false }).render('note.text', vars)).toBe('Note: <i>x</i>\n-- A&B');
    expect(await new TemplateRenderer({ folder }).render('note.text', vars, { autoescape: false })).toBe('Note: <i>x</i>\n-- A&B');
  });

  it('renders a string that includes templates of the folder', async () => {
    expect(await new TemplateRenderer({ folder }).renderString('{{ n | plus: 1 }} {% include "mail/signature.liquid" %}', { n: 41, team: 'ops' })).toBe('42 -- ops');
  });

  it('keeps parsed templates when caching, and rereads the file when not', async () => {
    const cached = new TemplateRenderer({ folder });
    const fresh = new TemplateRenderer({ folder, cache: false });
    const vars = { user: { name: 'Ada' } };
    await cached.render('welcome.html', vars);
    await fresh.render('welcome.html', vars);
    write('welcome.html.liquid', 'Bye {{ user.name }}');
    expect(await cached.render('welcome.html', vars)).toBe('<p>Hello Ada!</p>');
    expect(await fresh.render('welcome.html', vars)).toBe('Bye Ada');
  });

  it('says which folder it looked in and which names are close when a template is missing', async () => {
    const error = await new TemplateRenderer({ folder }).render('welcom.html').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect(error).toMatchObject({ code: 'ASPHALT_TEMPLATING_NOT_FOUND', templateName: 'welcom.html', folder, closeNames: ['welcome.html'] });
    expect((error as Error).message).toContain(folder);
    expect((error as Error).message).toMatch(/did you mean 'welcome\.html'\?/);
  });

  it('refuses names that leave the folder', async () => {
    for (const name of ['../etc/passwd', '/etc/passwd', 'mail/../../x']) {
      await expect(new TemplateRenderer({ folder }).render(name)).rejects.toMatchObject({ code: 'ASPHALT_TEMPLATING_NOT_FOUND' });
    }
  });

  it('reports a syntax error with the file and line', async () => {
    write('broken.liquid', 'line one\n{% if user %}\nnever closed\n');
    const error = await new TemplateRenderer({ folder }).render('broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error).toMatchObject({ code: 'ASPHALT_TEMPLATING_SYNTAX', location: { file: 'broken.liquid', line: 2, column: 1 } });
    expect((error as Error).message).toMatch(/syntax error in broken\.liquid at line 2, column 1: tag \{% if user %\} not closed/);
  });

  it('reports a syntax error in a string as <string> with the line, and an unknown filter as a syntax error', async () => {
    const renderer = new TemplateRenderer({ folder });
    await expect(renderer.renderString('ok\n{{ a | upcase ')).rejects.toMatchObject({ code: 'ASPHALT_TEMPLATING_SYNTAX', location: { file: '<string>', line: 2 } });
    await expect(renderer.renderString('{{ a | no_such_filter }}')).rejects.toMatchObject({ code: 'ASPHALT_TEMPLATING_SYNTAX', location: { line: 1 } });
  });

  it('reports an undefined variable under strictVariables as a render error with the file and line', async () => {
    const error = await new TemplateRenderer({ folder, strictVariables: true }).render('welcome.html', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error).toMatchObject({ code: 'ASPHALT_TEMPLATING_RENDER', location: { file: 'welcome.html.liquid', line: 1 } });
  });

  it('reports an include of a missing partial as a missing template, naming the including file', async () => {
    write('outer.liquid', 'a\n{% include "nope.liquid" %}');
    const error = await new TemplateRenderer({ folder }).render('outer').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_TEMPLATING_NOT_FOUND', templateName: 'nope.liquid' });
    expect((error as Error).message).toMatch(/outer\.liquid at line 2/);
  });

  it('gives templates no way to reach prototypes or run code', async () => {
    const renderer = new TemplateRenderer({ folder });
    class Secretive {
      get secret(): string {
        return 'leaked';
      }
    }
    const out = await renderer.renderString('[{{ o.constructor }}][{{ o.__proto__ }}][{{ s.secret }}][{{ "x" | prepend: o.toString }}]', { o: {}, s: new Secretive() });
    expect(out).toBe('[][][][x]');
  });

  it('lists its templates and finds every syntax error of the folder at once', async () => {
    write('bad1.liquid', '{{ oops');
    write('bad2.liquid', '\n\n{% for x in y %}');
    const renderer = new TemplateRenderer({ folder });
    expect(await renderer.names()).toEqual(['bad1', 'bad2', 'mail/signature', 'note.text', 'welcome.html']);
    const problems = await renderer.check();
    expect(problems.map((p) => [p.location.file, p.location.line])).toEqual([
      ['bad1.liquid', 1],
      ['bad2.liquid', 3],
    ]);
  });
});
