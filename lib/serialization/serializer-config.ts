import { IsIn, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE } from './serializer';

/** The backends of the `serializer` component. */
export const SERIALIZER_BACKENDS = ['json', 'cbor', 'msgpack'] as const;
/** One of {@link SERIALIZER_BACKENDS}. */
export type SerializerBackend = (typeof SERIALIZER_BACKENDS)[number];

/** Config of the `serializer` component (YAML `type: serializer`). */
export class SerializerConfig {
  /** `json` (no dependency), `cbor` (needs `cbor2`) or `msgpack` (needs `msgpackr`). */
  @IsIn(SERIALIZER_BACKENDS, { message: `must be one of ${SERIALIZER_BACKENDS.join(', ')}` })
  backend: SerializerBackend = 'json';

  /** Deepest nesting written or read. */
  @IsInt() @Min(1)
  maxDepth = DEFAULT_MAX_DEPTH;

  /** Largest payload written or read, in bytes. */
  @IsInt() @Min(1)
  maxSize = DEFAULT_MAX_SIZE;

  /** JSON only: the key that marks a custom-type envelope. */
  @IsOptional() @Matches(/^[\w$]+$/, { message: 'must be letters, digits, _ or $' })
  customTypeKey?: string;
}
