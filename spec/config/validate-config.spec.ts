import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { AsphaltError } from '../../lib';
import { describeConfig } from '../../lib/config/describe-config';
import { configOptionNames, validateConfig } from '../../lib/config/validate-config';
import { ConfigError } from '../../lib/errors';

class Tls {
  @IsString() ca!: string;
  @IsBoolean() verify = true;
}

class Server {
  @IsString() host!: string;
  @IsInt() @Min(1) @Max(65535) port = 80;
}

class DbConfig {
  @IsString({ context: { description: 'Database host name' } }) host!: string;
  @IsInt() @Min(1) @Max(65535) port = 5432;
  @IsOptional() @IsString() password?: string;
  @IsIn(['disable', 'require']) sslmode = 'disable';
  @IsOptional() @ValidateNested() @Type(() => Tls) tls?: Tls;
  @ValidateNested({ each: true }) @Type(() => Server) servers: Server[] = [];
}

/** Runs `fn`, expects a ConfigError and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AsphaltError);
    expect((error as ConfigError).code).toBe('ASPHALT_CONFIG');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

describe('validateConfig', () => {
  it('returns an instance of the config class with property initializers as defaults', () => {
    const config = validateConfig(DbConfig, { host: 'db', servers: [{ host: 'replica' }] }, 'components.db');

    expect(config).toBeInstanceOf(DbConfig);
    expect(config).toMatchObject({ host: 'db', port: 5432, sslmode: 'disable' });
    expect(config.servers[0]).toBeInstanceOf(Server);
    expect(config.servers[0]).toMatchObject({ host: 'replica', port: 80 });
    expect(config.tls).toBeUndefined();
  });

  it('builds nested option classes', () => {
    const config = validateConfig(DbConfig, { host: 'db', tls: { ca: '/ca.pem' } }, 'components.db');

    expect(config.tls).toBeInstanceOf(Tls);
    expect(config.tls).toEqual({ ca: '/ca.pem', verify: true });
  });

  it('treats undefined and null as no options at all', () => {
    class Defaults {
      @IsInt() retries = 3;
    }
    expect(validateConfig(Defaults, undefined, 'components.x').retries).toBe(3);
    expect(validateConfig(Defaults, null, 'components.x').retries).toBe(3);
  });

  it('reports every problem at once, each under its full path, in document order', () => {
    const error = configError(() =>
      validateConfig(
        DbConfig,
        { port: 'abc', tls: { ca: 42 }, servers: [{ host: 'a' }, { host: 'b', port: 0 }], sslmode: 'prefer' },
        'components.db',
      ),
    );

    expect(error.issues).toEqual([
      {
        path: 'components.db.port',
        message: 'must be an integer number; must not be less than 1; must not be greater than 65535',
        value: 'abc',
      },
      { path: 'components.db.tls.ca', message: 'must be a string', value: 42 },
      { path: 'components.db.servers.1.port', message: 'must not be less than 1', value: 0 },
      { path: 'components.db.sslmode', message: 'must be one of the following values: disable, require', value: 'prefer' },
      { path: 'components.db.host', message: 'required option is missing (must be a string)' },
    ]);
    expect(error.message.split('\n')).toEqual([
      'invalid configuration (5 problems):',
      '  - components.db.port: must be an integer number; must not be less than 1; must not be greater than 65535 (got "abc")',
      '  - components.db.tls.ca: must be a string (got 42)',
      '  - components.db.servers.1.port: must not be less than 1 (got 0)',
      '  - components.db.sslmode: must be one of the following values: disable, require (got "prefer")',
      '  - components.db.host: required option is missing (must be a string)',
    ]);
  });

  it('reports an unknown option with a did-you-mean hint and the known options', () => {
    const error = configError(() => validateConfig(DbConfig, { host: 'db', pasword: 'x' }, 'components.db'));

    expect(error.issues).toEqual([
      {
        path: 'components.db.pasword',
        message:
          "unknown option; did you mean 'password'? Known options: host, password, port, servers, sslmode, tls",
      },
    ]);
  });

  it('reports unknown options inside nested options and list items', () => {
    const error = configError(() =>
      validateConfig(
        DbConfig,
        { host: 'db', tls: { ca: 'x', verfy: false }, servers: [{ host: 'a', prot: 1, zzzzzzzz: 2 }] },
        'components.db',
      ),
    );

    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['components.db.tls.verfy', "unknown option; did you mean 'verify'? Known options: ca, verify"],
      ['components.db.servers.0.prot', "unknown option; did you mean 'port'? Known options: host, port"],
      ['components.db.servers.0.zzzzzzzz', 'unknown option; Known options: host, port'],
    ]);
  });

  it('knows options declared only with @Type, and checks the keys inside them', () => {
    class Loose {
      @Type(() => Tls) tls?: Tls;
    }
    const error = configError(() => validateConfig(Loose, { tls: { ca: 'x', cs: 'y' } }, 'loose'));

    expect(configOptionNames(Loose)).toEqual(['tls']);
    expect(error.issues.map((issue) => issue.path)).toEqual(['loose.tls.cs']);
  });

  it.each([
    ['a string', 'localhost', 'expected a mapping of options, got a string'],
    ['a list', ['a'], 'expected a mapping of options, got a list'],
    ['a number', 5, 'expected a mapping of options, got a number'],
  ])('refuses %s where a mapping of options is expected', (_kind, plain, message) => {
    const error = configError(() => validateConfig(DbConfig, plain, 'components.db'));

    expect(error.issues).toEqual([{ path: 'components.db', message, value: plain }]);
  });

  it('refuses a scalar where a nested mapping or a list of mappings is expected', () => {
    const error = configError(() => validateConfig(DbConfig, { host: 'db', tls: 'yes', servers: 'a,b' }, 'components.db'));

    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['components.db.tls', 'must be a mapping of options'],
      ['components.db.servers', 'must be a list of mappings'],
    ]);
  });

  it('shows where each offending value came from', () => {
    const sources: Record<string, string> = {
      'components.db.port': 'config.yaml:12:3',
      'components.db.tls.ca': '--set db.tls.ca=1',
    };
    const error = configError(() =>
      validateConfig(DbConfig, { host: 'db', port: 70000, tls: { ca: 1 } }, 'components.db', (path) => sources[path]),
    );

    expect(error.issues.map((issue) => issue.source)).toEqual(['config.yaml:12:3', '--set db.tls.ca=1']);
    expect(error.message).toContain(
      '  - components.db.port: must not be greater than 65535 (got 70000) [config.yaml:12:3]',
    );
    expect(error.message).toContain('  - components.db.tls.ca: must be a string (got 1) [--set db.tls.ca=1]');
  });

  it('abbreviates long offending values in the message', () => {
    const error = configError(() => validateConfig(DbConfig, { host: 'x'.repeat(100), port: 'y'.repeat(100) }, 'db'));

    expect(error.message).toContain(`(got "${'y'.repeat(58)}…)`);
  });

  it('prints one problem on one line, with no header, and honours a custom intro', () => {
    const issues = [{ path: 'a', message: 'broken' }];
    expect(new ConfigError(issues).message).toBe('invalid configuration: a: broken');
    expect(new ConfigError(issues, 'component db:').message).toBe('component db:\n  - a: broken');
  });
});

describe('configOptionNames', () => {
  it('lists decorated properties and properties with defaults', () => {
    class Plain {
      retries = 3;
      @IsString() name!: string;
    }
    expect(configOptionNames(DbConfig)).toEqual(['host', 'port', 'password', 'sslmode', 'tls', 'servers']);
    expect(configOptionNames(Plain).sort()).toEqual(['name', 'retries']);
  });
});

describe('describeConfig', () => {
  it('lists every option with its type, default and constraints, nested options flattened', () => {
    expect(describeConfig(DbConfig)).toEqual([
      { name: 'host', type: 'string', required: true, constraints: ['isString'], description: 'Database host name' },
      { name: 'port', type: 'number', required: false, default: 5432, constraints: ['isInt', 'min 1', 'max 65535'] },
      { name: 'password', type: 'string', required: false, constraints: ['isString'] },
      {
        name: 'sslmode',
        type: 'string',
        required: false,
        default: 'disable',
        constraints: ['isIn [disable, require]'],
      },
      { name: 'tls', type: 'Tls', required: false, constraints: [] },
      { name: 'tls.ca', type: 'string', required: true, constraints: ['isString'] },
      { name: 'tls.verify', type: 'boolean', required: false, default: true, constraints: ['isBoolean'] },
      { name: 'servers', type: 'Server[]', required: false, default: [], constraints: [] },
      { name: 'servers.*.host', type: 'string', required: true, constraints: ['isString'] },
      {
        name: 'servers.*.port',
        type: 'number',
        required: false,
        default: 80,
        constraints: ['isInt', 'min 1', 'max 65535'],
      },
    ]);
  });
  it('takes the type of an unannotated option from its default and needs no value without validators', () => {
    class Loose {
      retries = 3;
      @Type(() => Tls) tls?: Tls;
    }

    const options = describeConfig(Loose);

    expect(options.map((option) => option.name)).toEqual(['tls', 'tls.ca', 'tls.verify', 'retries']);
    expect(options[0]).toEqual({ name: 'tls', type: 'Tls', required: false, constraints: [] });
    expect(options[3]).toEqual({ name: 'retries', type: 'number', required: false, default: 3, constraints: [] });
  });
});

describe('strings from the environment', () => {
  class EnvConfig {
    @IsInt() port = 1;
    @IsBoolean() verbose = false;
    @IsString() name = 'x';
  }

  it('become numbers and booleans where the option is declared so, and only when they read as one', () => {
    const config = validateConfig(EnvConfig, { port: '8080', verbose: 'true', name: '42' }, '');
    expect(config).toMatchObject({ port: 8080, verbose: true, name: '42' });
    expect(() => validateConfig(EnvConfig, { port: '80a', verbose: 'yes' }, '')).toThrow(/port: must be an integer number \(got "80a"\)/);
  });
});
