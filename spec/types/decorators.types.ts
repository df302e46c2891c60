// What the decorators check at compile time (README "Components", "Aliases and names").
import { IsString } from 'class-validator';
import { Component, component, provides, requires, token } from '../../lib';

interface Pool {
  query(sql: string): Promise<unknown[]>;
}
const Db = token<Pool>('Db');
class Cache {
  get(key: string): string | undefined {
    return key;
  }
}

class DbConfig {
  @IsString() resourceName = 'default';
}

// The property type is tied to the key's type.
export class Consumer extends Component {
  @requires(Db) db!: Pool;
  @requires(Cache) cache!: Cache;
  // @ts-expect-error a Pool is not a string
  @requires(Db) wrong!: string;
  // @ts-expect-error a Cache is not a Pool
  @requires(Cache) notAPool!: Pool;
  @requires(Db) wider!: Pool | Cache; // a wider property accepts it
}

// An optional requirement may be missing: the property must accept `undefined`.
export class OptionalConsumer extends Component {
  @requires(Db, { optional: true }) db?: Pool;
  @requires(Db, { optional: true }) orUndefined!: Pool | undefined;
  // @ts-expect-error optional: the property must accept undefined
  @requires(Db, { optional: true }) always!: Pool;
}

// @provides, @requires and @component decorate component classes only.
// @ts-expect-error not a component class
@provides(Db)
export class NotAComponent {}

// @ts-expect-error not a component class
@component({ startTimeout: 100 })
export class AlsoNotAComponent {}

// @ts-expect-error not a component class
@requires(Db)
export class StillNotAComponent {}

export class PlainHolder {
  // @ts-expect-error the property form too: only on a component
  @requires(Db) db!: Pool;
}

// A name function gets the component's own config type: pass it as the type argument and the
// parameter needs no annotation; a wrong field does not compile.
@provides<DbConfig>(Db, { name: (c) => c.resourceName })
export class DbComponent extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
}

// @ts-expect-error DbConfig has no field 'resourceNam'
@provides<DbConfig>(Db, { name: (c) => c.resourceNam })
export class Misspelt extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
}

// Annotated, as in the README: the annotation must match the component's config.
@provides(Db, { name: (c: DbConfig) => c.resourceName })
@requires(Cache, { name: (c: DbConfig) => `${c.resourceName}_cache` })
export class Annotated extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
}

class OtherConfig {
  @IsString() url = '';
}

// @ts-expect-error the name function expects a DbConfig; this component takes an OtherConfig
@provides(Db, { name: (c: DbConfig) => c.resourceName })
export class WrongConfig extends Component {
  constructor(readonly config: OtherConfig) {
    super();
  }
}

// Without a type argument or an annotation the parameter is `never`: reading a field fails.
// @ts-expect-error say which config the name function reads
@provides(Db, { name: (c) => c.resourceName })
export class Unannotated extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
}

// @ts-expect-error timeouts are numbers
@component({ startTimeout: '5s' })
export class BadTimeout extends Component {}
