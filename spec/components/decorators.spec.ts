import { Component, component, provides, requires, token } from '../../lib';
import { componentMetadata } from '../../lib/components/component-metadata';

const Key = token<string>('Key');

function decoratorError(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect((error as { code: string }).code).toBe('ASPHALT_DECORATOR');
    return (error as Error).message;
  }
  throw new Error('expected a DecoratorError');
}

describe('decorators', () => {
  it('refuse a class that is not a component and say how to fix it', () => {
    class Plain {}
    // The types refuse it too (spec/types/decorators.ts); plain JavaScript gets the runtime check.
    // @ts-expect-error not a component class
    const message = decoratorError(() => provides(Key)(Plain));
    expect(message).toContain("write 'class Plain extends Component");
    // @ts-expect-error not a component class
    decoratorError(() => requires(Key)(Plain));
    // @ts-expect-error not a component class
    decoratorError(() => component()(Plain));
  });

  it('refuse a key that is neither a class nor a token where they are applied, pointing at import cycles for undefined', () => {
    class Target extends Component {}
    const message = decoratorError(() => provides(undefined as unknown as typeof Key)(Target));
    expect(message).toContain('import cycle');
    expect(message).toContain('class Target');
    expect(decoratorError(() => requires('Key' as unknown as typeof Key)(Target))).not.toContain('import cycle');
  });

  it('refuse a bad resource name and show the function form', () => {
    class Target extends Component {}
    expect(decoratorError(() => provides(Key, { name: 'not ok' })(Target))).toContain('config.resourceName');
  });

  it('refuse bad timeouts', () => {
    expect(decoratorError(() => component({ startTimeout: -1 }))).toContain('positive number of milliseconds');
  });

  it('refuse the property form on a class that is not a component', () => {
    expect(() => {
      class Plain {
        // @ts-expect-error not a property of a component
        @requires(Key) value!: string;
      }
      return Plain;
    }).toThrow(expect.objectContaining({ code: 'ASPHALT_DECORATOR' }));
  });

  it('accept correct use on a component', () => {
    @provides(Key, { name: (c: { n: string }) => c.n })
    @requires(Key, { name: 'other', optional: true })
    @component({ startTimeout: 100, isolated: true })
    class Fine extends Component {
      @requires(Key) value!: string;
      constructor(readonly config: { n: string }) {
        super();
      }
    }
    // What the decorators recorded, as the tree builder reads it.
    const meta = componentMetadata(Fine);
    expect(meta.provides).toEqual([{ key: Key, name: expect.any(Function) }]);
    expect((meta.provides[0]!.name as (c: { n: string }) => string)({ n: 'from-config' })).toBe('from-config');
    expect(meta.requires).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: Key, name: 'other', optional: true, property: undefined }),
        expect.objectContaining({ key: Key, optional: false, property: 'value' }),
      ]),
    );
    expect(meta.requires).toHaveLength(2);
    expect(meta.options).toMatchObject({ startTimeout: 100, isolated: true });
  });
});
