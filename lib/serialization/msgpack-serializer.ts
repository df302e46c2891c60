import type * as Msgpackr from 'msgpackr';
import { InvalidArgumentError, requirePeer } from '../index';
import { DeserializationError } from './serialization-errors';
import { Serializer, type SerializerOptions } from './serializer';
import { Envelope, type WireModel } from './wire-model';

/** The MessagePack extension type of a custom-type instance (`[name, state]`), as asphalt-serialization writes it. */
export const MSGPACK_CUSTOM_TYPE_EXTENSION = 119;

let msgpackr: typeof Msgpackr | undefined;

/** msgpackr keeps extensions in one table per process: ours is added once, at first use. */
function load(): typeof Msgpackr {
  if (msgpackr !== undefined) return msgpackr;
  const lib = requirePeer<typeof Msgpackr>('msgpackr', 'asphalt-ts/serialization (backend msgpack)', '2');
  lib.addExtension({
    Class: Envelope,
    type: MSGPACK_CUSTOM_TYPE_EXTENSION,
    write: (envelope: Envelope) => [envelope.name, envelope.state],
    read: (data: unknown) => {
      if (!Array.isArray(data) || data.length !== 2 || typeof data[0] !== 'string') {
        throw new DeserializationError(
          `msgpack serializer refused the payload: a custom-type extension ${MSGPACK_CUSTOM_TYPE_EXTENSION} that is not [name, state]`,
          'unknown-type',
          '$',
        );
      }
      return new Envelope(data[0], data[1]);
    },
  });
  return (msgpackr = lib);
}

/**
 * MessagePack (`application/msgpack`) on `msgpackr` (an optional peer: `npm install msgpackr@2`).
 * Carries what JSON does plus `undefined`, `bigint`, `Date`, `Uint8Array` (read back as a
 * `Buffer`) and non-finite numbers; registered custom types travel as extension 119 `[name, state]`.
 * msgpackr's record extension is off, and maps are read as maps and checked, so a `__proto__`
 * key is refused rather than renamed.
 */
export class MsgpackSerializer extends Serializer {
  readonly mimeType = 'application/msgpack';
  readonly format = 'msgpack';
  readonly #packr: Msgpackr.Packr;
  readonly #unpackr: Msgpackr.Unpackr;
  readonly #model: WireModel = {
    rich: true,
    wrap: (name, state) => new Envelope(name, state),
    unwrap: (node) => (node instanceof Envelope ? node : undefined),
  };

  constructor(options: SerializerOptions = {}) {
    super(options);
    const lib = load();
    this.#packr = new lib.Packr({ useRecords: false, useBigIntExtension: true });
    this.#unpackr = new lib.Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' });
  }

  protected override get model(): WireModel {
    return this.#model;
  }

  protected override encodeWire(wire: unknown): Uint8Array {
    return this.#packr.pack(wire);
  }

  protected override decodeWire(payload: Uint8Array | string): unknown {
    if (typeof payload === 'string') throw new InvalidArgumentError('MessagePack is binary: pass the Uint8Array that serialize() returned, not a string');
    return this.#unpackr.unpack(payload);
  }
}
