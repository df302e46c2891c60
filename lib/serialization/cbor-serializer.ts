import type * as Cbor2 from 'cbor2';
import { InvalidArgumentError, requirePeer } from '../index';
import { DeserializationError } from './serialization-errors';
import { Serializer, type SerializerOptions } from './serializer';
import { Envelope, type WireModel } from './wire-model';

/** The CBOR tag of a custom-type instance, `4554([name, state])`, as asphalt-serialization writes it. */
export const CBOR_CUSTOM_TYPE_TAG = 4554;

let cbor2: typeof Cbor2 | undefined;

/**
 * CBOR (`application/cbor`, RFC 8949) on `cbor2` (an optional peer: `npm install cbor2@2`).
 * Carries what JSON does plus `undefined`, `bigint`, `Date`, `Uint8Array` and non-finite numbers;
 * registered custom types travel as tag 4554 `[name, state]`.
 */
export class CborSerializer extends Serializer {
  readonly mimeType = 'application/cbor';
  readonly format = 'cbor';
  readonly #cbor: typeof Cbor2;
  readonly #model: WireModel;
  readonly #tags: Cbor2.TagDecoderMap;

  constructor(options: SerializerOptions = {}) {
    super(options);
    const lib = (cbor2 ??= requirePeer<typeof Cbor2>('cbor2', 'asphalt-ts/serialization (backend cbor)', '2'));
    this.#cbor = lib;
    this.#model = {
      rich: true,
      wrap: (name, state) => new lib.Tag(CBOR_CUSTOM_TYPE_TAG, [name, state]),
      unwrap: (node) => (node instanceof Envelope ? node : undefined),
    };
    const label = this.label;
    this.#tags = new Map([
      // Tag 1 is epoch seconds as a float. cbor2 reads it back as `new Date(seconds * 1000)`, which
      // truncates the product and so can come back 1 ms early (6340-04-13T20:19:17.972Z did);
      // rounding gives back the exact millisecond that was written.
      [
        1,
        (tag: Cbor2.ITag): unknown => {
          if (typeof tag.contents !== 'number') throw new DeserializationError(`${label} refused the payload: an epoch date (tag 1) that is not a number`, 'malformed', '$');
          return new Date(Math.round(tag.contents * 1000));
        },
      ],
      [
        CBOR_CUSTOM_TYPE_TAG,
        (tag: Cbor2.ITag): unknown => {
          const contents = tag.contents;
          if (!Array.isArray(contents) || contents.length !== 2 || typeof contents[0] !== 'string') {
            throw new DeserializationError(`${label} refused the payload: a custom-type tag ${CBOR_CUSTOM_TYPE_TAG} that is not [name, state]`, 'unknown-type', '$');
          }
          return new Envelope(contents[0], contents[1]);
        },
      ],
    ]);
  }

  protected override get model(): WireModel {
    return this.#model;
  }

  protected override encodeWire(wire: unknown): Uint8Array {
    return this.#cbor.encode(wire, { collapseBigInts: false });
  }

  protected override decodeWire(payload: Uint8Array | string): unknown {
    if (typeof payload === 'string') throw new InvalidArgumentError('CBOR is binary: pass the Uint8Array that serialize() returned, not a string');
    return this.#cbor.decode(payload, { maxDepth: this.maxDepth, tags: this.#tags, collapseBigInts: false });
  }
}
