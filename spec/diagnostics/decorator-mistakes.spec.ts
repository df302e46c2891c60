import { bootstrap, Component, ComponentStartError, DecoratorError, provides, requires, silentLogger, token } from '../../lib';
import { thrown } from '../support/thrown';

const Db = token<string>('Db');


describe('@requires and @provides written without parentheses', () => {
  it('on a class: names the class and says the parentheses (the key) are missing, not an import cycle', () => {
    const error = thrown(() => {
      // @ts-expect-error the mistake under test: the decorator factory used as the decorator
      @requires
      class Mailer extends Component {}
      return Mailer;
    });
    expect(error).toBeInstanceOf(DecoratorError);
    expect(error.message).toMatch(/^@requires on class Mailer is written without parentheses, so it has no resource key: write '@requires\(Db\)'/);
    expect(error.message).not.toContain('import cycle');
  });

  it('on a property: names the class and the property', () => {
    const error = thrown(() => {
      class Mailer extends Component {
        // @ts-expect-error the mistake under test
        @requires transport!: string;
      }
      return Mailer;
    });
    expect(error).toBeInstanceOf(DecoratorError);
    expect(error.message).toMatch(/^@requires on Mailer\.transport is written without parentheses, so it has no resource key: .*'@requires\(Db\) transport!: Pool'/);
    expect(error.message).not.toContain('import cycle');
  });

  it('@provides on a class: the same diagnosis', () => {
    const error = thrown(() => {
      // @ts-expect-error the mistake under test
      @provides
      class Cache extends Component {}
      return Cache;
    });
    expect(error.message).toMatch(/^@provides on class Cache is written without parentheses/);
  });
});

describe('@requires and @provides with an undefined key', () => {
  const cycle = undefined as unknown as typeof Db; // what an import cycle leaves behind

  it('on a property: names the class and the property, and blames the import cycle', () => {
    const error = thrown(() => {
      class Newsletter extends Component {
        @requires(cycle) mailer!: string;
      }
      return Newsletter;
    });
    expect(error).toBeInstanceOf(DecoratorError);
    expect(error.message).toMatch(/^@requires\(undefined\) on Newsletter\.mailer: the resource key is undefined where the decorator runs\. That is usually an import cycle/);
    expect(error.message).not.toContain('parentheses');
  });

  it('on a class: names the class', () => {
    const error = thrown(() => {
      @requires(cycle)
      @provides(Db)
      class Newsletter extends Component {}
      return Newsletter;
    });
    expect(error.message).toMatch(/^@requires\(undefined\) on class Newsletter: .*import cycle/);
    const provided = thrown(() => {
      @provides(cycle)
      class Newsletter extends Component {}
      return Newsletter;
    });
    expect(provided.message).toMatch(/^@provides\(undefined\) on class Newsletter: .*import cycle/);
  });

  it('a key of the wrong kind is neither mistake: it says what was given', () => {
    const error = thrown(() => {
      class Newsletter extends Component {
        @requires('Mailer' as unknown as typeof Db) mailer!: string;
      }
      return Newsletter;
    });
    expect(error.message).toMatch(/^@requires on Newsletter\.mailer needs a resource key .*got the string "Mailer" .*token<T>\("Mailer"\)/);
  });
});

describe('a prepare() failure', () => {
  it.each(['prepare', 'start'] as const)('names the component class, as a constructor failure does (%s)', async (phase) => {
    class FlakyDb extends Component {
      override async prepare(): Promise<void> {
        if (phase === 'prepare') throw new Error('connection refused');
      }
      override async start(): Promise<void> {
        if (phase === 'start') throw new Error('connection refused');
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', FlakyDb);
      }
    }
    const error = await bootstrap(Root, {}, { logger: silentLogger }).then(
      () => undefined,
      (e: unknown) => e as ComponentStartError,
    );
    expect(error).toBeInstanceOf(ComponentStartError);
    expect(error!.message).toMatch(new RegExp(`^component root\\.db \\(FlakyDb\\) failed in ${phase}\\(\\): connection refused`));
  });
});
