import fc from 'fast-check';
import { CborSerializer, JsonSerializer, MsgpackSerializer, SerializationError, type Serializer } from '../../lib/serialization';

const key = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__' && k !== '__type__' && k !== 'constructor');
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

/** Plain data that JSON carries. */
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), number, fc.string(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

/** Plain data plus what CBOR and MessagePack carry natively. */
const richValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    number,
    fc.bigInt(),
    fc.string(),
    // CBOR tag 1 is epoch seconds as a float: read back rounded, it is ms-exact for these years.
    fc.date({ noInvalidDate: true, min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') }),
    fc.uint8Array({ maxLength: 16 }),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value;

/** Buffers (what msgpackr reads bytes as) compared as the bytes they are. */
function normalized(value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value];
  if (Array.isArray(value)) return value.map(normalized);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v)]));
  }
  return value;
}

class Money {
  constructor(
    readonly amount: bigint,
    readonly currency: string,
  ) {}
}

function withMoney(serializer: Serializer): Serializer {
  return serializer.registerCustomType(Money, {
    encode: (money) => [money.amount.toString(), money.currency],
    decode: (state) => {
      if (!Array.isArray(state) || typeof state[0] !== 'string' || typeof state[1] !== 'string') throw new TypeError('expected [amount, currency]');
      return new Money(BigInt(state[0]), state[1]);
    },
  });
}

const backends: [string, () => Serializer, fc.Arbitrary<unknown>][] = [
  ['json', () => new JsonSerializer(), jsonValue],
  ['cbor', () => new CborSerializer(), richValue],
  ['msgpack', () => new MsgpackSerializer(), richValue],
];

describe.each(backends)('the %s serializer', (format, make, values) => {
  it('reads back every value of its value model as it was written', () => {
    const serializer = make();
    fc.assert(
      fc.property(values, (value) => {
        expect(normalized(serializer.deserialize(serializer.serialize(value)))).toEqual(normalized(value));
      }),
      { numRuns: 300 },
    );
  });

  it('names its format and MIME type', () => {
    const serializer = make();
    expect(serializer.format).toBe(format);
    expect(serializer.mimeType).toBe({ json: 'application/json', cbor: 'application/cbor', msgpack: 'application/msgpack' }[format]);
  });

  it('carries a registered custom type, nested in plain data and in another custom type, under its name', () => {
    class Order {
      constructor(
        readonly id: number,
        readonly total: Money,
      ) {}
    }
    const serializer = withMoney(make()).registerCustomType(Order, { name: 'shop.Order' });
    const value = { orders: [new Order(1, new Money(12_345n, 'EUR'))], note: 'x' };
    const back = serializer.deserialize(serializer.serialize(value)) as typeof value;
    expect(back.orders[0]).toBeInstanceOf(Order);
    expect(back.orders[0]!.total).toBeInstanceOf(Money);
    expect(back).toEqual(value);
    expect(serializer.customTypeNames).toEqual(['Money', 'shop.Order']);
  });

  it('refuses a class instance that is not registered, naming the path and the fix', () => {
    const error = catchError(() => make().serialize({ items: [{ price: new Money(1n, 'EUR') }] }));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error).toMatchObject({ code: 'ASPHALT_SERIALIZATION_SERIALIZE', path: '$.items[0].price' });
    expect((error as Error).message).toMatch(/a Money.*registerCustomType\(Money/);
  });

  it('refuses functions, symbols, maps, circular structures and values nested deeper than maxDepth', () => {
    const serializer = make();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    for (const [value, path] of [
      [{ f: () => 1 }, '$.f'],
      [[Symbol('s')], '$[0]'],
      [{ m: new Map() }, '$.m'],
      [circular, '$.self'],
      [deep, `$${'[0]'.repeat(256)}`],
    ] as const) {
      expect(catchError(() => serializer.serialize(value))).toMatchObject({ code: 'ASPHALT_SERIALIZATION_SERIALIZE', path });
    }
  });

  it('refuses to write more than maxSize bytes', () => {
    const serializer = format === 'json' ? new JsonSerializer({ maxSize: 100 }) : format === 'cbor' ? new CborSerializer({ maxSize: 100 }) : new MsgpackSerializer({ maxSize: 100 });
    expect(catchError(() => serializer.serialize('x'.repeat(200)))).toMatchObject({ code: 'ASPHALT_SERIALIZATION_SERIALIZE', path: '$' });
  });
});

describe('the cbor serializer', () => {
  it('reads an epoch date (tag 1) back to the millisecond it was written, where a truncating read is 1 ms early', () => {
    const cbor = new CborSerializer();
    // 6340-04-13T20:19:17.972Z * 1000 / 1000 is 1 ms short as a float product (a fast-check find).
    for (const iso of ['6340-04-13T20:19:17.972Z', '1970-01-01T00:00:00.001Z', '1969-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z']) {
      const at = new Date(iso);
      expect((cbor.deserialize(cbor.serialize({ at })) as { at: Date }).at.toISOString()).toBe(iso);
    }
    expect(new Date((new Date('6340-04-13T20:19:17.972Z').getTime() / 1000) * 1000).toISOString()).not.toBe('6340-04-13T20:19:17.972Z');
  });
});

describe('the json serializer', () => {
  it('carries Date, bigint and bytes once custom types are registered for them', () => {
    const json = new JsonSerializer()
      .registerCustomType(Date, { encode: (d) => d.toISOString(), decode: (s) => new Date(String(s)) })
      .registerCustomType(Uint8Array, { name: 'bytes', encode: (b) => Buffer.from(b).toString('base64'), decode: (s) => new Uint8Array(Buffer.from(String(s), 'base64')) });
    const value = { at: new Date('2026-12-01T21:00:00Z'), raw: new Uint8Array([1, 2, 3]) };
    expect(Buffer.from(json.serialize(value)).toString()).toBe('{"at":{"__type__":"Date","state":"2026-12-01T21:00:00.000Z"},"raw":{"__type__":"bytes","state":"AQID"}}');
    expect(json.deserialize(json.serialize(value))).toEqual(value);
  });

  it('refuses bigint, undefined in arrays and non-finite numbers, and leaves undefined properties out', () => {
    const json = new JsonSerializer();
    expect(catchError(() => json.serialize({ n: 1n }))).toMatchObject({ path: '$.n' });
    expect(catchError(() => json.serialize([undefined]))).toMatchObject({ path: '$[0]' });
    expect(catchError(() => json.serialize({ x: NaN }))).toMatchObject({ path: '$.x' });
    expect(Buffer.from(json.serialize({ a: 1, b: undefined })).toString()).toBe('{"a":1}');
  });

  it('refuses a plain object with the custom-type key on writing, so what it writes reads back the same', () => {
    expect(catchError(() => new JsonSerializer().serialize({ __type__: 'Money', state: 1 }))).toMatchObject({ path: '$.__type__' });
    const json = new JsonSerializer({ customTypeKey: '$type' });
    expect(json.deserialize(json.serialize({ __type__: 'free' }))).toEqual({ __type__: 'free' });
  });

  it('reads text as well as bytes', () => {
    expect(new JsonSerializer().deserialize('{"a":[1,"b"]}')).toEqual({ a: [1, 'b'] });
  });
});

describe('registerCustomType', () => {
  it('refuses a name or class registered twice and a name that is not allowed', () => {
    const serializer = withMoney(new JsonSerializer());
    class Other {}
    expect(catchError(() => serializer.registerCustomType(Other, { name: 'Money' }))).toMatchObject({ code: 'ASPHALT_SERIALIZATION_CUSTOM_TYPE' });
    expect(catchError(() => serializer.registerCustomType(Money, { name: 'Cash' }))).toMatchObject({ code: 'ASPHALT_SERIALIZATION_CUSTOM_TYPE' });
    expect(catchError(() => serializer.registerCustomType(Other, { name: 'has space' }))).toMatchObject({ code: 'ASPHALT_SERIALIZATION_CUSTOM_TYPE' });
  });

  it('by default carries the own properties and restores the prototype without calling the constructor', () => {
    let constructed = 0;
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {
        constructed++;
      }
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    const serializer = new CborSerializer().registerCustomType(Point);
    const back = serializer.deserialize(serializer.serialize(new Point(3, 4))) as Point;
    expect(back).toBeInstanceOf(Point);
    expect(back.norm()).toBe(5);
    expect(constructed).toBe(1);
  });

  it('reports an encode that throws as a SerializationError with the cause', () => {
    const serializer = new MsgpackSerializer().registerCustomType(Money, {
      encode: () => {
        throw new Error('no');
      },
    });
    const error = catchError(() => serializer.serialize({ m: new Money(1n, 'EUR') }));
    expect(error).toMatchObject({ code: 'ASPHALT_SERIALIZATION_SERIALIZE', path: '$.m', cause: new Error('no') });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
