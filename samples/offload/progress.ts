import { Signal, token } from 'asphalt-ts';

/** What a blur task reports while it works: a main-thread Signal that workers dispatch to. */
export interface BlurProgress {
  readonly seed: number;
  readonly round: number;
  readonly of: number;
}
export const Progress = token<Signal<BlurProgress>>('offload.Progress');
