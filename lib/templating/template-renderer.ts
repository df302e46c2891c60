import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type * as LiquidJs from 'liquidjs';
import { requirePeer } from '../index';
import { closeNames } from './close-names';
import { TemplateFolderError, TemplateNotFoundError, TemplateRenderError, TemplateSyntaxError, type TemplateLocation } from './templating-errors';

/** The variables a template sees. */
export type TemplateVars = Record<string, unknown>;

/** Options of {@link TemplateRenderer}. */
export interface TemplateRendererOptions {
  /** The folder templates are read from (relative to the current directory, or absolute). */
  folder: string;
  /** The file extension of a template, added to a name that lacks it. Default `.liquid`. */
  extension?: string;
  /** Keep parsed templates: `true` (default), `false` (read the file on every render, for development), or an LRU size. */
  cache?: boolean | number;
  /** HTML-escape every `{{ output }}` (`{{ x | raw }}` opts out). Default `true`. */
  autoescape?: boolean;
  /** Rendering an undefined variable is an error. Default `false`. */
  strictVariables?: boolean;
  /** An unknown filter is a syntax error. Default `true`. */
  strictFilters?: boolean;
  /** liquidjs DoS limits: template length parsed, render time in ms, memory of a render; default unlimited. */
  parseLimit?: number;
  renderLimit?: number;
  memoryLimit?: number;
  /** Variables every template sees. */
  globals?: TemplateVars;
  /** Names the renderer in error messages. */
  label?: string;
}

/** Per-call options of {@link TemplateRenderer.render} and {@link TemplateRenderer.renderString}. */
export interface RenderOptions {
  /** Overrides the renderer's `autoescape` for this call (e.g. `false` for a plain-text mail body). */
  autoescape?: boolean;
}

let liquidjs: typeof LiquidJs | undefined;

/**
 * Renders Liquid templates from a folder (the resource the `templates` component publishes), on
 * liquidjs: templates cannot run code, reach only their variables' own properties, and output is
 * HTML-escaped unless configured otherwise. A missing template, a syntax error and a render error
 * are coded errors that say which file and line.
 *
 * @example
 * const html = await renderer.render('welcome.html', { user });   // folder/welcome.html.liquid
 * const text = await renderer.renderString('Hi {{ name }}', { name }, { autoescape: false });
 */
export class TemplateRenderer {
  /** The absolute folder templates are read from. */
  readonly folder: string;
  readonly extension: string;
  readonly autoescape: boolean;
  readonly #options: TemplateRendererOptions;
  readonly #lib: typeof LiquidJs;
  readonly #engines = new Map<boolean, LiquidJs.Liquid>();
  /** Files known to exist (only kept while caching). */
  readonly #found = new Set<string>();

  constructor(options: TemplateRendererOptions) {
    this.#lib = liquidjs ??= requirePeer<typeof LiquidJs>('liquidjs', 'asphalt-ts/templating', '10');
    this.#options = options;
    this.folder = resolve(options.folder);
    this.extension = options.extension ?? '.liquid';
    this.autoescape = options.autoescape ?? true;
  }

  /** How the renderer is named in messages. */
  get label(): string {
    return this.#options.label ?? `templates in ${this.folder}`;
  }

  /**
   * Renders the template `name` (`welcome.html` reads `welcome.html.liquid` in the folder).
   * @throws TemplateNotFoundError, TemplateSyntaxError or TemplateRenderError.
   */
  async render(name: string, vars: TemplateVars = {}, options: RenderOptions = {}): Promise<string> {
    const file = await this.#fileOf(name);
    try {
      return String(await this.#engine(options.autoescape).renderFile(file, vars));
    } catch (error) {
      throw this.#translate(error, file);
    }
  }

  /**
   * Renders `source` as a template (it may include templates of the folder).
   * @throws TemplateSyntaxError (file `<string>`) or TemplateRenderError.
   */
  async renderString(source: string, vars: TemplateVars = {}, options: RenderOptions = {}): Promise<string> {
    try {
      return String(await this.#engine(options.autoescape).parseAndRender(source, vars));
    } catch (error) {
      throw this.#translate(error, '<string>');
    }
  }

  /** Whether the folder has a template `name` (cached like renders). */
  async has(name: string): Promise<boolean> {
    return (await this.#existing(name)) !== undefined;
  }

  /** The names of the templates in the folder (subfolders too, `/`-separated, without the extension). */
  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder, { recursive: true });
    } catch (error) {
      throw new TemplateFolderError(`${this.label}: cannot read the template folder ${this.folder}: ${(error as Error).message}`, { cause: error });
    }
    return entries
      .filter((entry) => entry.endsWith(this.extension))
      .map((entry) => entry.split(sep).join('/').slice(0, -this.extension.length))
      .sort();
  }

  /** Parses every template in the folder; returns the syntax errors found (none: `[]`). */
  async check(): Promise<TemplateSyntaxError[]> {
    const problems: TemplateSyntaxError[] = [];
    for (const name of await this.names()) {
      try {
        await this.#engine(undefined).parseFile(name + this.extension);
      } catch (error) {
        const translated = this.#translate(error, name + this.extension);
        if (translated instanceof TemplateSyntaxError) problems.push(translated);
        else throw translated;
      }
    }
    return problems;
  }

  /** Resolves with details when the folder is readable; throws otherwise (a health check). */
  async checkFolder(): Promise<{ folder: string }> {
    let isFolder = false;
    try {
      isFolder = (await stat(this.folder)).isDirectory();
    } catch (error) {
      throw new TemplateFolderError(`${this.label}: the template folder ${this.folder} does not exist; create it or fix 'folder' in the config`, { cause: error });
    }
    if (!isFolder) throw new TemplateFolderError(`${this.label}: ${this.folder} is not a folder; point 'folder' at the folder of the templates`);
    return { folder: this.folder };
  }

  #engine(autoescape: boolean | undefined): LiquidJs.Liquid {
    const escape = autoescape ?? this.autoescape;
    let engine = this.#engines.get(escape);
    if (engine === undefined) {
      const o = this.#options;
      engine = new this.#lib.Liquid({
        root: [this.folder],
        extname: '',
        cache: o.cache ?? true,
        outputEscape: escape ? 'escape' : undefined,
        strictVariables: o.strictVariables ?? false,
        strictFilters: o.strictFilters ?? true,
        ownPropertyOnly: true,
        relativeReference: false,
        ...(o.parseLimit === undefined ? {} : { parseLimit: o.parseLimit }),
        ...(o.renderLimit === undefined ? {} : { renderLimit: o.renderLimit }),
        ...(o.memoryLimit === undefined ? {} : { memoryLimit: o.memoryLimit }),
        ...(o.globals === undefined ? {} : { globals: o.globals }),
      });
      this.#engines.set(escape, engine);
    }
    return engine;
  }

  async #fileOf(name: string): Promise<string> {
    const file = await this.#existing(name);
    if (file === undefined) throw await this.#notFound(name);
    return file;
  }

  /** The file of template `name` when it exists; throws for a name that leaves the folder. */
  async #existing(name: string): Promise<string | undefined> {
    if (typeof name !== 'string' || name === '' || isAbsolute(name) || name.includes('\\') || name.split('/').some((part) => part === '..' || part === '')) {
      throw await this.#notFound(String(name), 'template names are relative paths inside the folder, without .. or a leading /');
    }
    const file = name.endsWith(this.extension) ? name : name + this.extension;
    if (this.#found.has(file)) return file;
    let exists = false;
    try {
      exists = (await stat(resolve(this.folder, file))).isFile();
    } catch {
      exists = false;
    }
    if (!exists) return undefined;
    if ((this.#options.cache ?? true) !== false) this.#found.add(file);
    return file;
  }

  async #notFound(name: string, why?: string, cause?: unknown): Promise<TemplateNotFoundError> {
    const bare = name.endsWith(this.extension) ? name.slice(0, -this.extension.length) : name;
    let candidates: string[] = [];
    try {
      candidates = await this.names();
    } catch (error) {
      return new TemplateNotFoundError(`${this.label}: no template '${name}': ${(error as Error).message}`, name, this.folder, [], { cause: error });
    }
    const close = closeNames(bare, candidates);
    const hint = close.length ? `; did you mean ${close.map((c) => `'${c}'`).join(', ')}?` : candidates.length ? `; it has ${candidates.length} others` : '; it has no templates';
    return new TemplateNotFoundError(
      `${this.label}: no template '${name}' (file ${bare}${this.extension}) in ${this.folder}${why ? ` (${why})` : ''}${hint}`,
      name,
      this.folder,
      close,
      cause === undefined ? undefined : { cause },
    );
  }

  /** A liquidjs error as one of ours, located in `file` unless its token says otherwise. */
  #translate(error: unknown, file: string): Error {
    if (!(error instanceof Error)) return new TemplateRenderError(`${this.label}: rendering ${file} failed: ${String(error)}`, { file, line: 0, column: 0 });
    const inner = (error as { originalError?: unknown }).originalError;
    const source = inner instanceof Error && isLiquidError(inner) ? inner : error;
    const location = this.#locate(source, file);
    const at = `${location.file}${location.line ? ` at line ${location.line}, column ${location.column}` : ''}`;
    const bare = bareMessage(source);
    const missing = /Failed to lookup "([^"]+)"/.exec(bare);
    if (missing !== null) {
      return new TemplateNotFoundError(
        `${this.label}: ${at} includes '${missing[1]}', which is not in ${this.folder} (partials are named with their extension, e.g. '${missing[1]}${this.extension}')`,
        missing[1]!,
        this.folder,
        [],
        { cause: error },
      );
    }
    if (source.name === 'ParseError' || source.name === 'TokenizationError') {
      return new TemplateSyntaxError(`${this.label}: syntax error in ${at}: ${bare}`, location, { cause: error });
    }
    return new TemplateRenderError(`${this.label}: rendering ${at} failed: ${bare}`, location, { cause: error });
  }

  #locate(error: Error, file: string): TemplateLocation {
    const token = (error as { token?: { file?: string; getPosition?: () => number[] } }).token;
    const [line = 0, column = 0] = token?.getPosition?.() ?? [];
    const tokenFile = token?.file ? relative(this.folder, token.file).split(sep).join('/') : file;
    return { file: tokenFile, line, column };
  }
}

function isLiquidError(error: Error): boolean {
  return 'token' in error;
}

/** liquidjs's message without its `, file:…, line:…, col:…` suffix and context lines. */
function bareMessage(error: Error): string {
  const original = (error as { originalError?: unknown }).originalError;
  const text = original instanceof Error && !isLiquidError(original) ? original.message : error.message;
  return text.replace(/(, file:[^\n]*?)?, line:\d+, col:\d+[\s\S]*$/, '').replace(/^ENOENT: /, '');
}
