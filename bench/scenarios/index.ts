import type { Scenario } from '../harness';
import { contexts } from './contexts';
import { resources } from './resources';
import { signals } from './signals';

/** Every scenario, in the order `npm run bench` runs them. Add one line per new scenario file. */
export const scenarios: readonly Scenario[] = [resources, signals, contexts];
