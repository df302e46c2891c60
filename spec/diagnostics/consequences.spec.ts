import { IsInt } from 'class-validator';
import { Component, component, ConfigError, GraphError, MissingProviderError, provides, requires, resolveGraph, token } from '../../lib';

const Db = token<string>('Db');
const Cache = token<string>('Cache');

class DbConfig {
  @IsInt() port = 5432;
}

@provides(Db)
@component()
class DbComponent extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
}

class Users extends Component {
  @requires(Db) db!: string;
}
class Reports extends Component {
  @requires(Db) db!: string;
}
class NeedsCache extends Component {
  @requires(Cache) cache!: string;
}

function graphError(fn: () => unknown): GraphError | ConfigError {
  try {
    fn();
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected a throw');
}

describe('problems that follow from another', () => {
  const tree = (components: Record<string, unknown>) => ({ components });

  it('a component whose config fails does not also make its consumers "missing" what its class declares', () => {
    const error = graphError(() =>
      resolveGraph('container', tree({ db: { type: DbComponent, port: 'abc' }, users: { type: Users }, reports: { type: Reports } })),
    ) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toBeInstanceOf(ConfigError);
    expect(error.message).not.toContain('nothing provides');
  });

  it('a missing provider that may follow from a failed component is kept, and says so', () => {
    const error = graphError(() =>
      resolveGraph('container', tree({ db: { type: DbComponent, port: 'abc' }, cache: { type: NeedsCache } })),
    ) as GraphError;
    expect(error.problems).toHaveLength(2);
    const missing = error.problems.find((p) => p instanceof MissingProviderError)!;
    expect(missing.message).toContain('This may follow from the failure of root.db (reported above)');
  });

  it('a component whose type cannot be loaded marks the missing providers as possible consequences', () => {
    const error = graphError(() => resolveGraph('container', tree({ db: { type: './nowhere:Db' }, users: { type: Users } }))) as GraphError;
    expect(error.problems).toHaveLength(2);
    expect(error.problems[1]!.message).toContain('This may follow from the failure of root.db');
  });

  it('without failures, a missing provider is reported plainly', () => {
    const error = graphError(() => resolveGraph('container', tree({ users: { type: Users } }))) as GraphError;
    expect(error.problems).toHaveLength(1);
    expect(error.message).not.toContain('may follow');
  });
});
