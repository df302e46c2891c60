import type { Context } from '../context/context';
import { ComponentTypeError } from '../errors';
import { childDeclarations } from './internal';

/** A component class, or a `"module:Export"` string, or a short name registered by a package. */
export type ComponentType = (abstract new (...args: never[]) => Component) | string;

/** A child added in code with `addComponent`. */
export interface ChildDeclaration {
  readonly alias: string;
  readonly type: ComponentType | undefined;
  readonly config: Readonly<Record<string, unknown>>;
}

const aliasPattern = /^[A-Za-z_][\w-]*(\/\w+)?$/;
const noChildren: readonly ChildDeclaration[] = Object.freeze([]);
/**
 * The children each component added in code. Kept here rather than in fields: most components add
 * none, and a field on the base class would cost every instance (and every subclass's shape).
 */
const declared = new WeakMap<Component, { children: ChildDeclaration[]; aliases: Set<string> }>();
/**
 * Components whose place in the tree is settled (the tree builder constructed them), with their
 * path: `addComponent` on them is an error, since their children have already been built.
 */
const built = new WeakMap<Component, string>();
/** The path of the component being constructed by the tree builder (for messages), if any. */
let constructing: string | undefined;

/**
 * Internal (the tree builder's): constructs `cls` at `path`, then marks the instance as placed, so
 * that a later `addComponent` (from `start()` or `prepare()`) fails instead of being ignored.
 */
export function constructComponent<T extends Component>(cls: abstract new (...args: never[]) => T, config: object | undefined, path: string): T {
  const outer = constructing;
  constructing = path;
  try {
    const instance = (config === undefined ? Reflect.construct(cls, []) : Reflect.construct(cls, [config])) as T;
    built.set(instance, path);
    return instance;
  } finally {
    constructing = outer;
  }
}

/** `component root.app (App)`, or `App` when the path is not known. */
function describeComponent(component: Component, path: string | undefined): string {
  const name = component.constructor.name || 'anonymous class';
  return path === undefined ? `component ${name}` : `component ${path} (${name})`;
}

/**
 * Base class of every component. Override `prepare(ctx)` to publish what children need before
 * they start, and `start(ctx)` to publish what you provide once they have started. Declare what
 * you provide and require with `@provides` / `@requires`.
 *
 * @example
 * @provides(Mailer)
 * class MailerComponent extends Component {
 *   constructor(readonly config: MailerConfig) { super(); }
 *   async start(ctx: Context) { ctx.addResource(new Mailer(this.config), { types: [Mailer] }); }
 * }
 */
export abstract class Component {
  /** Runs before the children start: publish here what they need. */
  async prepare(_ctx: Context): Promise<void> {}

  /** Runs after the children have started: publish here what this component provides. */
  async start(_ctx: Context): Promise<void> {}

  /**
   * Adds a child component (call it in the constructor). Config from the application's config
   * file (`components: { alias: {...} }`) is merged over `config`. An alias `type/name` makes
   * `name` the default resource name of what the child publishes.
   */
  addComponent(alias: string, type?: ComponentType, config: Readonly<Record<string, unknown>> = {}): void {
    if (typeof alias !== 'string' || !aliasPattern.test(alias)) {
      throw new ComponentTypeError(
        `addComponent: alias ${JSON.stringify(alias)} is invalid; use letters, digits, _ or -, ` +
          `optionally followed by /name (e.g. 'db' or 'db/replica')`,
      );
    }
    const placedAt = built.get(this);
    if (placedAt !== undefined) {
      throw new ComponentTypeError(
        `${describeComponent(this, placedAt)}: addComponent('${alias}') was called after the component tree was built ` +
          `(from start() or prepare()?), so the child would never start; add children in the constructor, ` +
          `or from config (components: { ${alias.split('/')[0]}: { type: ... } })`,
      );
    }
    let own = declared.get(this);
    if (own?.aliases.has(alias)) {
      throw new ComponentTypeError(
        `${describeComponent(this, constructing)}: addComponent: a child named '${alias}' was already added; ` +
          `aliases must be unique among a component's children (rename one, e.g. '${alias}2' or '${alias.split('/')[0]}/other')`,
      );
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new ComponentTypeError(`addComponent('${alias}'): config must be an object, got ${JSON.stringify(config)}`);
    }
    if (own === undefined) declared.set(this, (own = { children: [], aliases: new Set() }));
    own.aliases.add(alias);
    own.children.push({ alias, type, config });
  }

  /** Internal: the children added in code. */
  [childDeclarations](): readonly ChildDeclaration[] {
    return declared.get(this)?.children ?? noChildren;
  }
}

/**
 * A component that is the application itself: after the tree has started, `run(ctx)` is called
 * and its result is the process exit code; the application stops when it returns.
 */
export abstract class CLIApplicationComponent extends Component {
  abstract run(ctx: Context): Promise<number | void>;
}
