import { EventEmitter } from 'node:events';
import { Signal } from '../../lib';
import { compare, type Case, type Scenario } from '../harness';

const LISTENERS = 10;

interface Sent {
  readonly to: string;
}

// Fairness: both emitters get the same 10 listeners, each doing the least a listener can do that
// still proves it ran (one shared counter increment; the harness checks the count). Both dispatch
// the same event object from the same loop shape. `EventEmitter.emit` is called with one argument,
// as `Signal.dispatch` is.
export const signals: Scenario = {
  name: 'signals',
  description: `Signal.dispatch vs EventEmitter.emit to ${LISTENERS} listeners`,
  async run() {
    let calls = 0;
    const listener = (_event: Sent): void => {
      calls++;
    };
    const signal = new Signal<Sent>({ name: 'bench.sent' });
    const emitter = new EventEmitter();
    for (let i = 0; i < LISTENERS; i++) {
      // distinct functions, as real listeners are
      signal.connect((event: Sent) => listener(event));
      emitter.on('sent', (event: Sent) => listener(event));
    }
    const event: Sent = { to: 'ann@example.com' };
    const cases: Case[] = [
      {
        name: `asphalt Signal.dispatch (${LISTENERS} listeners)`,
        peer: 'asphalt',
        checksumPerOp: LISTENERS,
        run(n) {
          calls = 0;
          for (let i = 0; i < n; i++) signal.dispatch(event);
          return calls;
        },
      },
      {
        name: `EventEmitter.emit (${LISTENERS} listeners)`,
        peer: 'node',
        checksumPerOp: LISTENERS,
        run(n) {
          calls = 0;
          for (let i = 0; i < n; i++) emitter.emit('sent', event);
          return calls;
        },
      },
    ];
    const comparison = await compare(
      `Dispatch to ${LISTENERS} listeners`,
      cases,
      `EventEmitter.emit (${LISTENERS} listeners)`,
    );
    comparison.target(
      'Signal.dispatch >= 0.8x EventEmitter.emit',
      `asphalt Signal.dispatch (${LISTENERS} listeners)`,
      `EventEmitter.emit (${LISTENERS} listeners)`,
      0.8,
    );
    return [comparison.result()];
  },
};
