import { type Signal, type AbstractClass } from '../index';
import { registerRemote } from './remote-registry';

/** Options of {@link remote}. */
export interface RemoteOptions<M extends string, S extends string> {
  /** The methods a consumer may call; each must return a promise. */
  readonly methods: readonly M[];
  /** `Signal` properties whose events reach every consumer. */
  readonly signals?: readonly S[];
}

type RemoteShape<M extends string, S extends string> = { [K in M]: (...args: never[]) => Promise<unknown> } & {
  [K in S]: Signal<unknown>;
};

/**
 * Lets a class key cross processes through a bridge: gives it a stable id (what bridge configs
 * name in `import` / `export`) and says which methods may be called remotely and which signals
 * are forwarded. Methods not listed can never be called from outside. The same declaration
 * serves the provider and the consumer, so put it on a class both import (an abstract class
 * works well).
 *
 * @example
 * @remote('Mailer', { methods: ['send'], signals: ['sent'] })
 * export abstract class Mailer {
 *   abstract send(to: string, subject: string): Promise<Receipt>;
 *   readonly sent = new Signal<{ to: string }>();
 * }
 */
export function remote<M extends string, S extends string = never>(id: string, options: RemoteOptions<M, S>) {
  return (target: AbstractClass<RemoteShape<M, S>>): void => {
    registerRemote(target, id, options.methods, options.signals ?? []);
  };
}
