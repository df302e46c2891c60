import { decodeValue, encodeValue, toBytes } from '../../lib/bridge/codec';

const roundTrip = (value: unknown): unknown => decodeValue(new TextEncoder().encode(encodeValue(value, 'the value', 'value')));

describe('the bridge codec', () => {
  it('carries plain data, Date, Uint8Array, bigint and undefined in lists unchanged', () => {
    const value = {
      text: 'é ✓',
      n: -1.5,
      yes: true,
      none: null,
      list: [1, undefined, [2]],
      when: new Date('2024-05-01T12:00:00.000Z'),
      bytes: new Uint8Array([0, 255, 7]),
      big: -(2n ** 70n),
    };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip(Buffer.from('hi'))).toEqual(new Uint8Array([104, 105]));
  });

  it('keeps a plain object whose own key is $t, the tag key, as it was', () => {
    const value = { $t: 'date', v: 'not a date', nested: { $t: 'obj' } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('drops undefined object properties, as JSON does', () => {
    expect(roundTrip({ a: undefined, b: 1 })).toEqual({ b: 1 });
  });

  it.each([
    ['a Map', { transport: new Map() }, 'value.transport', 'is a Map instance'],
    ['a function', [1, () => 2], 'value[1]', 'is a function'],
    ['a class instance', { deep: { at: new (class Pool {})() } }, 'value.deep.at', 'is a Pool instance'],
    ['NaN', { 'odd key': NaN }, 'value["odd key"]', 'is NaN'],
    ['Infinity', [Infinity], 'value[0]', 'is Infinity'],
    ['a symbol', { s: Symbol('x') }, 'value.s', 'is a symbol'],
    ['an invalid Date', { d: new Date('nope') }, 'value.d', 'is an invalid Date'],
  ])('refuses %s, naming where it is', (_what, value, path, reason) => {
    expect(() => encodeValue(value, 'the value', 'value')).toThrow(expect.objectContaining({ code: 'ASPHALT_BRIDGE_PAYLOAD', path }));
    expect(() => encodeValue(value, 'the value', 'value')).toThrow(reason);
  });

  it('refuses a circular structure, naming where it closes', () => {
    const value: Record<string, unknown> = { a: { b: {} } };
    (value.a as Record<string, Record<string, unknown>>).b!.back = value;
    expect(() => encodeValue(value, 'the value', 'value')).toThrow(expect.objectContaining({ path: 'value.a.b.back', message: expect.stringContaining('circular') }));
  });

  it('refuses more bytes than the limit, saying how many', () => {
    expect(() => toBytes('x'.repeat(2_000), 1_024, 'the arguments of Mailer.send()')).toThrow(/2000 bytes once encoded, over the bridge's maxPayload of 1024/);
  });

  it.each([
    ['a bad date', '{"$t":"date","v":"soon"}'],
    ['bad bigint digits', '{"$t":"bigint","v":"12x"}'],
    ['an unknown tag', '{"$t":"eval","v":"1"}'],
    ['obj entries that are not pairs', '{"$t":"obj","v":[["a"]]}'],
    ['not UTF-8', '\uFFFD'],
  ])('throws on %s when decoding', (_what, text) => {
    const bytes = text === '\uFFFD' ? new Uint8Array([0xc3, 0x28]) : new TextEncoder().encode(text);
    expect(() => decodeValue(bytes)).toThrow();
  });
});
