import { setTimeout as sleep } from 'node:timers/promises';
import type { Msg } from 'nats';
import {
  BridgeConnectionError,
  BridgePayloadError,
  NoRemoteProviderError,
  RemoteCallAbortedError,
  RemoteError,
  RemoteOverloadedError,
  RemoteRejectedError,
  RemoteTimeoutError,
  type RemoteCallSite,
} from './bridge-errors';
import { RequestFailure, type BridgeConnection } from './bridge-connection';
import { decodeValue, toBytes } from './codec';
import { PING, requestText, type Subjects } from './protocol';

/** One imported resource, as its proxies see it. Internal. */
export interface ImportTarget {
  readonly id: string;
  readonly name: string;
  readonly subjects: Subjects;
  readonly connection: () => BridgeConnection;
}

const pingBytes = new TextEncoder().encode(PING);

/** Calls `method` on a provider of `target` and resolves with its result. Internal. */
export async function callRemote(
  target: ImportTarget,
  method: string,
  args: readonly unknown[],
  timeout: number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const site: RemoteCallSite = { remoteKey: target.id, resourceName: target.name, method };
  const label = `${target.id} '${target.name}'.${method}()`;
  const connection = target.connection();
  const what = `the arguments of ${label}`;
  const data = toBytes(requestText(method, args, what), connection.maxPayload, what);
  let reply: Msg;
  try {
    reply = await connection.request(target.subjects.call, data, timeout, signal);
  } catch (failure) {
    throw callError(failure, site, label, connection, timeout);
  }
  let body: unknown;
  try {
    body = decodeValue(reply.data);
  } catch (error) {
    throw new BridgePayloadError(`the reply to ${label} could not be decoded: ${(error as Error).message}`, 'result');
  }
  if (typeof body === 'object' && body !== null) {
    const { r, e, x, p } = body as { r?: unknown; e?: unknown; x?: unknown; p?: unknown };
    const provider = typeof p === 'string' ? p : 'an unknown provider';
    if (e !== undefined) throw remoteError(site, e, provider);
    if (x !== undefined) {
      const { reason, message } = (typeof x === 'object' && x !== null ? x : {}) as { reason?: unknown; message?: unknown };
      if (reason === 'overloaded') {
        throw new RemoteOverloadedError(`provider ${provider} is overloaded and refused ${label} (it did not run): ${String(message)}`, 'overloaded', provider);
      }
      throw new RemoteRejectedError(
        `provider ${provider} refused ${label}: ${String(message)}; consumer and provider may run different versions ` +
          `of the @remote declaration of ${target.id}`,
        String(reason),
        provider,
      );
    }
    if (!Array.isArray(body)) return r;
  }
  throw new BridgePayloadError(`the reply to ${label} is not a bridge reply: ${JSON.stringify(body)?.slice(0, 80)}`, 'result');
}

/**
 * Pings `target` until a provider answers; resolves with its identity. Retries on no responders,
 * timeouts and a dropped connection, until `signal` aborts.
 */
export async function waitForProvider(target: ImportTarget, signal: AbortSignal): Promise<string> {
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    signal.throwIfAborted();
    try {
      const reply = await target.connection().request(target.subjects.call, pingBytes, 1_000, signal);
      const { p } = decodeValue(reply.data) as { p?: unknown };
      return typeof p === 'string' ? p : 'an unknown provider';
    } catch (failure) {
      if (failure instanceof RequestFailure && (failure.kind === 'aborted' || failure.kind === 'closed')) throw failure;
    }
    await sleep(delay, undefined, { signal });
  }
}

function callError(failure: unknown, site: RemoteCallSite, label: string, connection: BridgeConnection, timeout: number): Error {
  if (!(failure instanceof RequestFailure)) return failure as Error;
  const servers = connection.servers;
  switch (failure.kind) {
    case 'no-responders':
      return new NoRemoteProviderError(
        `${label}: no provider of ${site.remoteKey} '${site.resourceName}' is running (NATS at ${servers} has no ` +
          `responder on its subject); start a process whose bridge exports it, with the same subjectPrefix`,
        site,
      );
    case 'timeout':
      return new RemoteTimeoutError(
        `${label} got no reply within ${timeout} ms; the provider may be overloaded or stuck. Raise the import's ` +
          `'timeout', or pass one per call: withCallOptions(proxy, { timeout })`,
        site,
        timeout,
      );
    case 'aborted':
      return new RemoteCallAbortedError(`${label} was aborted: ${describeReason(failure.reason)}`, site, { cause: failure.reason });
    case 'lost':
      return new BridgeConnectionError(
        `${label} failed: the connection to NATS at ${servers} was lost while the call was in flight (it may or may ` +
          `not have run); the bridge is reconnecting, retry then`,
      );
    case 'down':
      return new BridgeConnectionError(
        `${label} failed: the bridge is not connected to NATS at ${servers} (it is reconnecting); retry later`,
      );
    case 'closed':
      return new BridgeConnectionError(`${label} failed: the bridge is stopped (its NATS connection is closed)`);
    case 'too-large':
      return new BridgePayloadError(`the arguments of ${label} exceed the broker's max_payload`, 'args');
    default:
      return new BridgeConnectionError(`${label} failed: ${describeReason(failure.reason)}`, { cause: failure.reason });
  }
}

function remoteError(site: RemoteCallSite, e: unknown, provider: string): RemoteError {
  const fields = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return new RemoteError(site, {
    code: text(fields.code),
    name: text(fields.name) ?? 'Error',
    message: text(fields.message) ?? '',
    stack: text(fields.stack),
    provider,
  });
}

function describeReason(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
