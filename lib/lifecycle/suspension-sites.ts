import { resolve, sep } from 'node:path';
import { inspect } from 'node:util';
import { promiseHooks } from 'node:v8';
import { Context } from '../context/context';

/** Await sites kept per component phase (the oldest are dropped first). */
const MAX_SITES = 32;
const MAX_CHAINS = 2;
const MAX_FRAMES = 6;
const STACK_DEPTH = 16;

/** The core folders whose frames say nothing about what a component is doing. */
const libRoot = resolve(__dirname, '..');
const coreDirs = ['context', 'lifecycle', 'events', 'resources', 'graph', 'util'].map((dir) => `${libRoot}${sep}${dir}${sep}`);
/** Where the lifecycle calls prepare()/start(): frames from here on are the framework's. */
const phaseCaller = `${libRoot}${sep}lifecycle${sep}start-components.`;

/**
 * Where each pending `prepare()`/`start()` of one component is suspended. While recording, every
 * `await` (and `.then`) run in the component's context, or in a context under it, captures the
 * stack at that point, keyed by the async function that awaits; the report keeps those whose async
 * function is still pending. Internal.
 */
export class SuspensionSites {
  #sites: Map<Promise<unknown>, { stack?: string }> | undefined;

  /** Called from the promise hook with the awaiting async function's promise. */
  capture(awaiting: Promise<unknown>): void {
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = STACK_DEPTH;
    Error.captureStackTrace(holder, onInit);
    Error.stackTraceLimit = limit;
    // Re-inserted, so that the map's order stays the order of the latest await of each function.
    const sites = (this.#sites ??= new Map());
    sites.delete(awaiting);
    sites.set(awaiting, holder);
    if (sites.size > MAX_SITES) sites.delete(sites.keys().next().value!);
  }

  /**
   * The innermost await chains still pending, newest first, each as stack frames (`fn (file:line:col)`)
   * of the application's code: a chain that is the tail of a longer one is left out.
   */
  chains(): string[][] {
    const chains: string[][] = [];
    for (const [awaiting, holder] of [...(this.#sites ?? [])].reverse()) {
      if (!isPending(awaiting)) continue;
      const frames = appFrames(holder.stack ?? '');
      if (frames.length === 0) continue;
      const key = frames.join('\n');
      if (chains.some((c) => c.join('\n').endsWith(key))) continue;
      for (let i = chains.length - 1; i >= 0; i--) if (key.endsWith(chains[i]!.join('\n'))) chains.splice(i, 1);
      chains.push(frames);
    }
    return chains.slice(0, MAX_CHAINS);
  }
}

/** Whether `promise` is still pending: JavaScript cannot ask, Node's inspector can (only read for a report). */
function isPending(promise: Promise<unknown>): boolean {
  return /^Promise \{\s*<pending>/.test(inspect(promise, { depth: 0, customInspect: false, showHidden: false }));
}

/** The frames of `stack` above the lifecycle's call into the component, without core and Node internals. */
function appFrames(stack: string): string[] {
  const frames: string[] = [];
  for (const line of stack.split('\n')) {
    const frame = /^\s+at (.*)$/.exec(line)?.[1];
    if (frame === undefined) continue;
    if (frame.includes(phaseCaller)) break;
    if (frame.includes('(node:') || frame.startsWith('node:') || frame.includes('<anonymous>')) continue;
    if (coreDirs.some((dir) => frame.includes(dir))) continue;
    frames.push(shorten(frame));
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames;
}

/** A path under the working directory is shown relative to it. */
function shorten(frame: string): string {
  const cwd = `${process.cwd()}${sep}`;
  return frame.replace(/(\(|^|async )(\/[^():]+)(?=:\d)/, (match, before: string, file: string) =>
    file.startsWith(cwd) ? `${before}${file.slice(cwd.length)}` : match,
  );
}

/** How the hook finds the sites of the component that `ctx` belongs to (its ComponentContext's). */
type SitesOf = (ctx: Context) => SuspensionSites | null | undefined;
let sitesOf: SitesOf | undefined;
let users = 0;
let stopHook: (() => void) | undefined;

function onInit(promise: Promise<unknown>, parent: Promise<unknown> | undefined): void {
  // `parent` is set for an await (the awaiting async function's promise) and for `.then`.
  if (parent === undefined) return;
  const ctx = Context.tryCurrent();
  if (ctx === undefined) return;
  for (let at: Context | undefined = ctx; at !== undefined; at = at.parent) {
    // `null`: a component's context that is not recording; `undefined`: not a component's context.
    const sites = sitesOf!(at);
    if (sites !== undefined) return sites?.capture(parent);
  }
}

/**
 * Installs the promise hook that feeds the {@link SuspensionSites} of the components in a phase
 * (`ComponentContext.suspensionSites`), once for all the startups running at the same time;
 * returns its removal.
 */
export function recordSuspensionSites(find: SitesOf): () => void {
  sitesOf = find;
  if (users++ === 0) stopHook = promiseHooks.onInit(onInit) as () => void;
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--users === 0) {
      stopHook?.();
      stopHook = undefined;
    }
  };
}
