import { Pool } from 'pg';
import { describeKey, token } from '../../lib';
import { keyExpression } from '../../lib/resources/resource-key';

export const Cache = token<Map<string, string>>('Cache');
export const SessionStore = token<Map<string, string>>('app.sessions');

describe('keys in messages', () => {
  it("names a library class by the name it is exported under: pg's Pool, whose class is BoundPool", () => {
    expect(Pool.name).toBe('BoundPool');
    expect(describeKey(Pool)).toBe('Pool');
    expect(keyExpression(Pool)).toBe('Pool');
  });

  it('keeps token(id) in prose, and prints the variable a token is exported as in code', () => {
    expect(describeKey(Cache)).toBe('token(Cache)');
    expect(keyExpression(Cache)).toBe('Cache');
    expect(keyExpression(SessionStore)).toBe('SessionStore');
  });

  it('makes valid code of a key no module exports: its id or name when an identifier, else an identifier from it', () => {
    class Local {}
    expect(keyExpression(Local)).toBe('Local');
    expect(keyExpression(token('Db'))).toBe('Db');
    expect(keyExpression(token('app.db-main'))).toBe('appDbMain');
    expect(keyExpression(token('2fa'))).toBe('_2fa');
  });
});
