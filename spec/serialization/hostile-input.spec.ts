import fc from 'fast-check';
import { CborSerializer, DeserializationError, JsonSerializer, MsgpackSerializer, type Serializer } from '../../lib/serialization';

const sample = { user: { name: 'Ada', tags: ['a', 'b'], score: 12.5 }, items: [1, 2, 3, 'four', { five: true }] };

/** Payloads no well-behaved writer makes, per backend: [what, bytes]. */
const hostile: Record<string, [string, Uint8Array | string][]> = {
  json: [
    ['100,000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['bytes that are not UTF-8', new Uint8Array([0x22, 0xff, 0xfe, 0x22])],
  ],
  cbor: [
    ['a byte string declaring 2^64-1 bytes', new Uint8Array([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['an array declaring 2^40 items', new Uint8Array([0x9b, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['a map declaring 2^40 entries', new Uint8Array([0xbb, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['an unterminated indefinite array', new Uint8Array([0x9f, 1, 2, 3])],
    ['100,000 nested arrays', new Uint8Array([...new Array<number>(100_000).fill(0x81), 0])],
    ['trailing bytes', new Uint8Array([1, 2])],
    ['nothing', new Uint8Array(0)],
    ['a map with an integer key', new Uint8Array([0xa1, 0x01, 0x02])],
    ['an unknown tag', new Uint8Array([0xd9, 0x11, 0x5c, 0x82, 0x01, 0x02])],
  ],
  msgpack: [
    ['a str32 declaring 4 GiB', new Uint8Array([0xdb, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['a bin32 declaring 4 GiB', new Uint8Array([0xc6, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['an array32 declaring 2^32-1 items', new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['a map32 declaring 2^32-1 entries', new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff, 1, 2])],
    ['an ext32 declaring 4 GiB', new Uint8Array([0xc9, 0xff, 0xff, 0xff, 0xff, 5, 2])],
    ['100,000 nested arrays', new Uint8Array([...new Array<number>(100_000).fill(0x91), 0])],
    ['trailing bytes', new Uint8Array([1, 2])],
    ['nothing', new Uint8Array(0)],
    ['an unknown extension', new Uint8Array([0xd4, 0x55, 0x01])],
    ['a map with an integer key', new Uint8Array([0x81, 0x01, 0x02])],
    ['a Set (a msgpackr extension outside the value model)', new Uint8Array([0xd4, 0x73, 0x90])],
  ],
};

/** `{"__proto__": {"polluted": true}}` in each format, keys written as they are on the wire. */
const protoPayloads: Record<string, Uint8Array | string> = {
  json: '{"a":1,"__proto__":{"polluted":true}}',
  cbor: Buffer.from('a2616101695f5f70726f746f5f5fa168706f6c6c75746564f5', 'hex'),
  msgpack: new Uint8Array([0x82, 0xa1, 0x61, 0x01, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa8, ...Buffer.from('polluted'), 0xc3]),
};
const constructorPayloads: Record<string, Uint8Array | string> = {
  json: '{"constructor":{"prototype":{"polluted":true}}}',
  cbor: Buffer.from('a16b636f6e7374727563746f72a169707' + '26f746f74797065a168706f6c6c75746564f5', 'hex'),
  msgpack: new Uint8Array([0x81, 0xab, ...Buffer.from('constructor'), 0x81, 0xa9, ...Buffer.from('prototype'), 0x81, 0xa8, ...Buffer.from('polluted'), 0xc3]),
};

const backends: [string, () => Serializer][] = [
  ['json', () => new JsonSerializer()],
  ['cbor', () => new CborSerializer()],
  ['msgpack', () => new MsgpackSerializer()],
];

describe.each(backends)('the %s serializer, given hostile input', (format, make) => {
  it('refuses every truncation of a valid payload with a coded DeserializationError', () => {
    const serializer = make();
    const payload = serializer.serialize(sample);
    for (let length = 0; length < payload.byteLength; length++) {
      const error = caught(() => serializer.deserialize(payload.subarray(0, length)));
      expect(error).toBeInstanceOf(DeserializationError);
      expect(error).toMatchObject({ code: 'ASPHALT_SERIALIZATION_DESERIALIZE', reason: 'malformed' });
    }
  });

  it.each(hostile[format]!)('refuses %s with a coded DeserializationError, and reads the next payload as usual', (_what, payload) => {
    const serializer = make();
    const error = caught(() => serializer.deserialize(payload));
    expect(error).toBeInstanceOf(DeserializationError);
    expect((error as DeserializationError).code).toBe('ASPHALT_SERIALIZATION_DESERIALIZE');
    expect(['malformed', 'too-deep', 'unsupported', 'unknown-type']).toContain((error as DeserializationError).reason);
    expect(serializer.deserialize(serializer.serialize(sample))).toEqual(sample);
  });

  it('refuses nesting deeper than maxDepth, even when the library could read it', () => {
    const writer = make();
    let deep: unknown = 0;
    for (let i = 0; i < 100; i++) deep = { a: [deep] };
    const payload = writer.serialize(deep);
    const reader = format === 'json' ? new JsonSerializer({ maxDepth: 50 }) : format === 'cbor' ? new CborSerializer({ maxDepth: 50 }) : new MsgpackSerializer({ maxDepth: 50 });
    expect(caught(() => reader.deserialize(payload))).toMatchObject({ reason: 'too-deep' });
  });

  it('refuses a __proto__ key and a constructor.prototype key, and no prototype changes', () => {
    const serializer = make();
    expect(caught(() => serializer.deserialize(protoPayloads[format]!))).toMatchObject({ reason: 'forbidden-key', path: '$.__proto__' });
    expect(caught(() => serializer.deserialize(constructorPayloads[format]!))).toMatchObject({ reason: 'forbidden-key', path: '$.constructor' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses a payload over maxSize before reading it', () => {
    const serializer = format === 'json' ? new JsonSerializer({ maxSize: 10 }) : format === 'cbor' ? new CborSerializer({ maxSize: 10 }) : new MsgpackSerializer({ maxSize: 10 });
    expect(caught(() => serializer.deserialize(new Uint8Array(11)))).toMatchObject({ reason: 'too-large' });
  });

  it('refuses a custom type that is not registered, naming the registered ones', () => {
    class Money {
      constructor(readonly cents = 1) {}
    }
    const payload = make().registerCustomType(Money).serialize({ price: new Money() });
    const error = caught(() => make().deserialize(payload));
    expect(error).toMatchObject({ reason: 'unknown-type', path: '$.price' });
    expect((error as Error).message).toMatch(/'Money' that is not registered \(registered: none\)/);
  });

  it('reports a custom decode that throws as custom-decode, with the cause', () => {
    class Money {
      constructor(readonly cents = 1) {}
    }
    const payload = make().registerCustomType(Money).serialize([new Money()]);
    const reader = make().registerCustomType(Money, {
      decode: () => {
        throw new RangeError('bad cents');
      },
    });
    expect(caught(() => reader.deserialize(payload))).toMatchObject({ reason: 'custom-decode', path: '$[0]', cause: new RangeError('bad cents') });
  });

  it('never throws anything but a DeserializationError on random bytes, nor hangs', () => {
    const serializer = make();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          serializer.deserialize(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DeserializationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a DeserializationError on a valid payload with bytes flipped', () => {
    const serializer = make();
    const payload = serializer.serialize(sample);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(payload.byteLength - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const bytes = Uint8Array.from(payload);
        for (const [at, value] of flips) bytes[at] = value;
        try {
          serializer.deserialize(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(DeserializationError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the binary serializers', () => {
  it.each([['cbor', new CborSerializer()] as const, ['msgpack', new MsgpackSerializer()] as const])('%s refuses a string payload as malformed', (_name, serializer) => {
    expect(caught(() => serializer.deserialize('{}'))).toMatchObject({ reason: 'malformed' });
  });
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
