// asphalt-ts/serialization: one Serializer interface over JSON, CBOR (cbor2) and MessagePack (msgpackr).
export { Serializer, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE } from './serializer';
export type { SerializerOptions } from './serializer';
export { JsonSerializer } from './json-serializer';
export type { JsonSerializerOptions } from './json-serializer';
export { CborSerializer, CBOR_CUSTOM_TYPE_TAG } from './cbor-serializer';
export { MsgpackSerializer, MSGPACK_CUSTOM_TYPE_EXTENSION } from './msgpack-serializer';
export { createSerializer } from './create-serializer';
export type { CustomTypeClass, CustomTypeOptions } from './custom-type-registry';
export { SerializerComponent } from './serializer-component';
export { SerializerConfig, SERIALIZER_BACKENDS } from './serializer-config';
export type { SerializerBackend } from './serializer-config';
export { CustomTypeError, DeserializationError, SerializationError } from './serialization-errors';
export type { DeserializationReason } from './serialization-errors';
