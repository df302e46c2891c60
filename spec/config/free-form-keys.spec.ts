import { Allow, IsInt, IsOptional, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { ConfigError } from '../../lib/index';
import { validateConfig } from '../../lib/config/validate-config';

class Inner {
  @IsOptional() @IsInt() port?: number;
}

class HttpConfig {
  @Allow() headers: Record<string, unknown> = {};
  @IsOptional() @ValidateNested() @Type(() => Inner) inner?: Inner;
}

function outcome(plain: unknown): unknown {
  try {
    return validateConfig(HttpConfig, plain, 'component');
  } catch (error) {
    return error;
  }
}

describe('keys that name Object.prototype members in a free-form option', () => {
  for (const key of ['constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']) {
    it(`accepts a '${key}' key inside @Allow() headers as data, never a TypeError`, () => {
      const result = outcome({ headers: { [key]: 'x', other: 1 } });
      expect(result).not.toBeInstanceOf(TypeError);
      expect(result).toBeInstanceOf(HttpConfig);
      expect(Object.getOwnPropertyDescriptor((result as HttpConfig).headers, key)?.value).toBe('x');
      expect((result as HttpConfig).headers.other).toBe(1);
    });
  }

  it('accepts a nested constructor: { ... } mapping as data', () => {
    const result = outcome({ headers: { constructor: { name: 'x' } } }) as HttpConfig;
    expect(result).toBeInstanceOf(HttpConfig);
    expect(Object.getOwnPropertyDescriptor(result.headers, 'constructor')?.value).toEqual({ name: 'x' });
  });

  it('reports a __proto__ key (own, as JSON.parse makes it) as a ConfigError with the path', () => {
    const result = outcome(JSON.parse('{"headers": {"__proto__": {"polluted": true}}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (result instanceof HttpConfig) {
      expect(Object.getPrototypeOf(result.headers)).toBe(Object.prototype);
    } else {
      expect(result).toBeInstanceOf(ConfigError);
      expect((result as ConfigError).issues[0]!.path).toContain('component.headers');
    }
  });

  it('reports a constructor key where an option is unknown as a ConfigError with the path', () => {
    const result = outcome({ constructor: 'x' });
    expect(result).toBeInstanceOf(ConfigError);
    expect((result as ConfigError).issues.map((i) => i.path)).toEqual(['component.constructor']);
  });
});
