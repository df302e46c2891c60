import { isDeepStrictEqual } from 'node:util';
import { Component, type Context, provides } from '../index';
import { createSerializer } from './create-serializer';
import { SerializationError } from './serialization-errors';
import { Serializer } from './serializer';
import { SerializerConfig } from './serializer-config';

/**
 * Publishes a {@link Serializer} of the configured backend (YAML `type: serializer`), under the
 * `Serializer` key and its concrete class. Add it as `serializer/events` to publish one named
 * `events`. Components that need custom types register them on the resource in their `prepare()`
 * or `start()`. At start it loads the backend's library and round-trips a probe value.
 *
 * @example
 * components:
 *   serializer: { type: serializer, backend: cbor, maxSize: 1048576 }
 */
@provides(Serializer)
export class SerializerComponent extends Component {
  constructor(readonly config: SerializerConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const { backend, maxDepth, maxSize, customTypeKey } = this.config;
    const serializer = createSerializer(backend, { maxDepth, maxSize, customTypeKey, label: `${backend} serializer` });
    const probe = { probe: [1, 'two', true, null] };
    if (!isDeepStrictEqual(serializer.deserialize(serializer.serialize(probe)), probe)) {
      throw new SerializationError(`${serializer.label}: a probe value did not survive a round trip; check the installed ${backend} library version`, '$');
    }
    ctx.addResource(serializer, { types: [Serializer, serializer.constructor as typeof Serializer], description: `${backend} serializer (${serializer.mimeType})` });
  }
}
