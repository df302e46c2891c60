import type { Announcement } from '../context/announcement';
import type { Context } from '../context/context';
import type { ComponentRecord, } from '../graph/build-tree';
import type { GraphNode, Requirement } from '../graph/graph-types';
import type { ComponentContext } from './component-context';

/** The run-time state of one component during start and stop. Internal. */
export interface ComponentRun {
  readonly record: ComponentRecord;
  readonly node: GraphNode;
  /** The context its prepare() and start() receive. */
  readonly ctx: Context;
  /** What decides publishing and phase teardown for `ctx`. */
  readonly owner: ComponentContext;
  /** The scope context its resources go into and its @provides are checked in. */
  readonly scope: Context;
  /** For an isolated component, the scope its subtree publishes into. */
  readonly inner: Context | undefined;
  parent: ComponentRun | undefined;
  children: ComponentRun[];
  /** Requirements not yet published, while waiting (made only when it has to wait). */
  unmet: Set<Requirement> | undefined;
  /** The announcement of each of its `@provides` (same order as `record.provides`). */
  readonly announcements: Announcement[];
  /** When the current state began (ms since startup began). */
  since: number;
  /** Milliseconds spent in prepare() and start() so far (what the start timeout bounds). */
  spent: number;
  prepareBegan: boolean;
  startBegan: boolean;
  timedOut: boolean;
  /** The components whose `stopAfter` names this one: it prepares only once they have started. */
  startsAfter: ComponentRun[] | undefined;
  /** Service ids of what it published in prepare() (the rest came from start()), for the stop order. */
  publishedInPrepare: Set<symbol> | undefined;
}
