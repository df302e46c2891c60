import { AsphaltError } from '../index';

/**
 * A queue could not take a job: it is not connected (Redis is down or was never reached), or
 * its component has stopped.
 */
export class QueueUnavailableError extends AsphaltError {
  static override readonly code = 'ASPHALT_QUEUE_UNAVAILABLE';
}

/** A worker fetched a job whose name no processor of it handles, or two processors claim one name. */
export class JobProcessorError extends AsphaltError {
  static override readonly code = 'ASPHALT_QUEUE_PROCESSOR';
}

/** A queue or worker has no Redis connection settings: no `redis` component by that name and no `connection`. */
export class QueueConnectionError extends AsphaltError {
  static override readonly code = 'ASPHALT_QUEUE_CONNECTION';
}
