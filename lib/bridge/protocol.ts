import type { RemoteFailure } from './bridge-errors';
import { encodeValue } from './codec';

/**
 * The subjects and messages of the bridge. With the default prefix `asphalt`:
 *
 * | subject | who publishes | who subscribes |
 * | --- | --- | --- |
 * | `asphalt.call.<key>.<name>` | consumers (requests, with a reply inbox) | providers, queue group `asphalt.call.<key>.<name>` |
 * | `asphalt.signal.<key>.<name>.<signal>` | providers (one message per event) | consumers |
 * | `_INBOX.>` | providers (replies; to `_INBOX.` subjects only, never `<prefix>.…`) | consumers |
 *
 * A request is `{"m": method, "a": [args]}` (`{"m": "$ping"}` asks whether a provider is there); a
 * reply is `{"r": result}`, `{"e": error, "p": provider}` when the method threw, or
 * `{"x": {reason, message}, "p": provider}` when the provider refused the request. Values use the
 * codec's JSON format. Internal.
 */
export interface Subjects {
  /** The subject prefix: everything of the bridge's own layout starts with `<prefix>.`. */
  readonly prefix: string;
  readonly call: string;
  readonly queue: string;
  signal(name: string): string;
}

/** The subjects of one remote resource. */
export function subjectsOf(prefix: string, id: string, name: string): Subjects {
  const call = `${prefix}.call.${id}.${name}`;
  return { prefix, call, queue: call, signal: (signal) => `${prefix}.signal.${id}.${name}.${signal}` };
}

/** The ping request. */
export const PING = '{"m":"$ping"}';

/** A call request; `method` is a declared member name, which needs no escaping. */
export function requestText(method: string, args: readonly unknown[], what: string): string {
  return `{"m":"${method}","a":${encodeValue(args, what, 'args')}}`;
}

/** A successful reply. */
export function resultText(result: unknown, what: string): string {
  return result === undefined ? '{}' : `{"r":${encodeValue(result, what, 'result')}}`;
}

/** The reply for a method that threw. */
export function failureText(error: unknown, provider: string, withStack: boolean): string {
  const code: unknown = (error as { code?: unknown } | undefined)?.code;
  const failure: Omit<RemoteFailure, 'provider'> =
    error instanceof Error
      ? {
          name: error.name,
          message: error.message,
          code: typeof code === 'string' ? code : undefined,
          stack: withStack ? error.stack : undefined,
        }
      : { name: 'Error', message: `a non-Error value was thrown: ${safeString(error)}` };
  return JSON.stringify({ e: failure, p: provider });
}

/** The reply for a request refused before anything was called. */
export function rejectionText(reason: string, message: string, provider: string): string {
  return JSON.stringify({ x: { reason, message }, p: provider });
}

/** The ping reply. */
export function pongText(provider: string): string {
  return JSON.stringify({ p: provider });
}

function safeString(value: unknown): string {
  try {
    return String(value).slice(0, 200);
  } catch {
    return typeof value;
  }
}
