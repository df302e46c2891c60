import { Matches } from 'class-validator';
import { Component, component, requires } from '../index';
import { Queue } from './queue';

/** Config of {@link usesQueueType}. */
export class UsesQueueConfig {
  @Matches(/^\w+$/, { message: 'must be a resource name' }) name = 'default';
}

/**
 * A child of a `queue-worker` for each queue in its `uses`: it requires that `Queue`, so the
 * queue stops only after the worker (which stops before its children) is done with it.
 */
@component({ config: UsesQueueConfig })
export class UsesQueueComponent extends Component {
  @requires(Queue, { name: (config: UsesQueueConfig) => config.name }) queue!: Queue;

  constructor(readonly config: UsesQueueConfig) {
    super();
  }
}

/** @internal */
export const usesQueueType = UsesQueueComponent;
