import type { ResourceRef } from '../graph/graph-types';

/** What happened to a component, on `app.events` (or the `events` signal given to bootstrap). */
export type LifecycleEvent =
  | { readonly type: 'created'; readonly path: string; readonly component: string }
  | { readonly type: 'waiting'; readonly path: string; readonly for: readonly ResourceRef[] }
  | { readonly type: 'preparing' | 'starting'; readonly path: string }
  | { readonly type: 'started'; readonly path: string; readonly ms: number }
  | { readonly type: 'failed'; readonly path: string; readonly phase: string; readonly error: unknown }
  | { readonly type: 'stopped'; readonly path: string; readonly ms: number }
  | { readonly type: 'ready'; readonly components: number; readonly ms: number; readonly criticalPath: readonly string[] };
