import type { Scenario } from '../harness';
import { asyncStart } from './async-start';
import { boot } from './boot';
import { bridge } from './bridge';
import { contexts } from './contexts';
import { http } from './http';
import { resources } from './resources';
import { signals } from './signals';
import { startup } from './startup';
import { serializationScenario } from './serialization';
import { sqlScenario } from './sql';
import { stop } from './stop';
import { timeout } from './timeout';
import { workers } from './workers';

/** Every scenario, in the order `npm run bench` runs them. Add one line per new scenario file. */
export const scenarios: readonly Scenario[] = [resources, signals, contexts, boot, asyncStart, stop, timeout, workers, bridge, startup, http, sqlScenario, serializationScenario];
