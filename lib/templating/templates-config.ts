import { IsBoolean, IsInt, IsOptional, IsString, Matches, Min, MinLength } from 'class-validator';

/** Config of the `templates` component (YAML `type: templates`). */
export class TemplatesConfig {
  /** The folder of the templates, relative to the current directory or absolute (`!Env` works). */
  @IsString() @MinLength(1)
  folder!: string;

  /** File extension of a template, added to names that lack it. */
  @Matches(/^\.[\w.-]+$/, { message: 'must be a file extension such as .liquid' })
  extension = '.liquid';

  /** Keep parsed templates (turn off in development to see edits without a restart). */
  @IsBoolean()
  cache = true;

  /** HTML-escape every `{{ output }}`; `{{ x | raw }}` opts out. */
  @IsBoolean()
  autoescape = true;

  /** Rendering an undefined variable is an error (useful in tests). */
  @IsBoolean()
  strictVariables = false;

  /** An unknown filter is a syntax error. */
  @IsBoolean()
  strictFilters = true;

  /** Parse every template at start, so a syntax error stops the start with its file and line. */
  @IsBoolean()
  checkOnStart = true;

  /** liquidjs DoS limits (see liquidjs "DoS"): characters parsed, ms of rendering, memory of one render. */
  @IsOptional() @IsInt() @Min(1)
  parseLimit?: number;

  @IsOptional() @IsInt() @Min(1)
  renderLimit?: number;

  @IsOptional() @IsInt() @Min(1)
  memoryLimit?: number;
}
