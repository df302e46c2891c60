import { AsphaltError } from '../index';

/** No template of that name in the folder. The message names the folder and the closest names. */
export class TemplateNotFoundError extends AsphaltError {
  static override readonly code = 'ASPHALT_TEMPLATING_NOT_FOUND';
  constructor(
    message: string,
    /** The name asked for, e.g. `welcome.html`. */
    readonly templateName: string,
    /** The absolute folder looked in. */
    readonly folder: string,
    /** Existing names close to it, best first. */
    readonly closeNames: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Where in a template a problem is: the file (`<string>` for `renderString`), line and column (1-based). */
export interface TemplateLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A template does not parse: an unclosed tag or output, an unknown tag or filter. */
export class TemplateSyntaxError extends AsphaltError {
  static override readonly code = 'ASPHALT_TEMPLATING_SYNTAX';
  constructor(
    message: string,
    readonly location: TemplateLocation,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Rendering failed: an undefined variable (with `strictVariables`), a filter that threw, a render or memory limit. */
export class TemplateRenderError extends AsphaltError {
  static override readonly code = 'ASPHALT_TEMPLATING_RENDER';
  constructor(
    message: string,
    readonly location: TemplateLocation,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The configured template folder does not exist or is not a readable folder. */
export class TemplateFolderError extends AsphaltError {
  static override readonly code = 'ASPHALT_TEMPLATING_FOLDER';
}
