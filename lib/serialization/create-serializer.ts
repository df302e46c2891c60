import { CborSerializer } from './cbor-serializer';
import { JsonSerializer, type JsonSerializerOptions } from './json-serializer';
import { MsgpackSerializer } from './msgpack-serializer';
import type { Serializer } from './serializer';
import type { SerializerBackend } from './serializer-config';

/**
 * A serializer of the named backend (`json`, `cbor`, `msgpack`), for code that picks it at run time.
 *
 * @example
 * const serializer = createSerializer('cbor', { maxSize: 1_000_000 });
 */
export function createSerializer(backend: SerializerBackend, options: JsonSerializerOptions = {}): Serializer {
  switch (backend) {
    case 'json':
      return new JsonSerializer(options);
    case 'cbor':
      return new CborSerializer(options);
    case 'msgpack':
      return new MsgpackSerializer(options);
  }
}
