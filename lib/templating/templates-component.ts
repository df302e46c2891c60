import { Component, type Context, provides, requires } from '../index';
import { HealthRegistry } from '../health/index';
import { TemplateRenderer } from './template-renderer';
import { TemplatesConfig } from './templates-config';
import { TemplateSyntaxError } from './templating-errors';

/**
 * Publishes a {@link TemplateRenderer} over a folder of Liquid templates (YAML `type: templates`).
 * At start it checks that the folder exists and, with `checkOnStart` (default), parses every
 * template, so a syntax error stops the start with its file and line instead of surfacing at the
 * first render. Contributes a health check (the folder is readable) when a `HealthRegistry` is there.
 *
 * @example
 * components:
 *   templates: { type: templates, folder: !Env [TEMPLATES, ./templates] }
 */
@provides(TemplateRenderer)
export class TemplatesComponent extends Component {
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;

  constructor(readonly config: TemplatesConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const { folder, extension, cache, autoescape, strictVariables, strictFilters, parseLimit, renderLimit, memoryLimit } = this.config;
    const renderer = new TemplateRenderer({ folder, extension, cache, autoescape, strictVariables, strictFilters, parseLimit, renderLimit, memoryLimit });
    await renderer.checkFolder();
    if (this.config.checkOnStart) {
      const problems = await renderer.check();
      if (problems.length > 0) {
        const list = problems.map((problem) => `  - ${problem.message}`).join('\n');
        throw new TemplateSyntaxError(
          `${problems.length} template(s) in ${renderer.folder} do not parse:\n${list}\nFix them, or set checkOnStart: false to find out at the first render`,
          problems[0]!.location,
          { cause: problems[0] },
        );
      }
    }
    ctx.addResource(renderer, { types: [TemplateRenderer], description: `Liquid templates in ${renderer.folder}` });
    if (this.health !== undefined) {
      const name = [...ctx.getResources(TemplateRenderer)].find(([, value]) => value === renderer)?.[0] ?? 'default';
      const remove = this.health.add(name === 'default' ? 'templates' : `templates:${name}`, () => renderer.checkFolder());
      ctx.addTeardownCallback(remove);
    }
  }
}
