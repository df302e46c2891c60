// asphalt-ts/templating: a TemplateRenderer over a folder of Liquid templates (liquidjs).
export { TemplateRenderer } from './template-renderer';
export type { RenderOptions, TemplateRendererOptions, TemplateVars } from './template-renderer';
export { TemplatesComponent } from './templates-component';
export { TemplatesConfig } from './templates-config';
export { TemplateFolderError, TemplateNotFoundError, TemplateRenderError, TemplateSyntaxError } from './templating-errors';
export type { TemplateLocation } from './templating-errors';
