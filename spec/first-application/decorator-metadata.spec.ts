import { transformSync } from '@swc/core';
import { Component, ComponentTypeError, GraphError, resolveGraph, type ComponentType } from '../../lib';
import swcTypescript from '../../lib/runner/cli/swc-typescript.json';

/** Compiles `source` as TypeScript does with experimentalDecorators but without emitDecoratorMetadata, and loads it. */
function compiledWithoutMetadata(source: string): Record<string, ComponentType> {
  const { code } = transformSync(source, {
    ...swcTypescript,
    sourceMaps: false,
    jsc: { ...swcTypescript.jsc, transform: { ...swcTypescript.jsc.transform, decoratorMetadata: false } },
  } as Parameters<typeof transformSync>[1]);
  const module = { exports: {} as Record<string, ComponentType> };
  // The compiled code's require is this file's: 'asphalt-ts' is the library's source here.
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports;
}

function graphProblem(root: ComponentType): string {
  try {
    resolveGraph(root);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    const problems = (error as GraphError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBeInstanceOf(ComponentTypeError);
    return problems[0]!.message;
  }
  throw new Error('expected the graph to be refused');
}

const source = `
  import { IsString } from 'class-validator';
  import { Component, component, requires, token } from 'asphalt-ts';
  const Db = token<string>('Db');
  export class ShopConfig { @IsString() name = 'shop'; }
  @component()
  export class Shop extends Component {
    constructor(readonly config: ShopConfig) { super(); }
  }
  export class Orders extends Component {
    @requires(Db, { optional: true }) db?: string;
    constructor(readonly settings: ShopConfig) { super(); }
  }
`;

describe('a component compiled without emitDecoratorMetadata', () => {
  const { Shop, Orders } = compiledWithoutMetadata(source);

  it('is named with its constructor parameter, and the message says to set emitDecoratorMetadata in tsconfig.json', () => {
    const message = graphProblem(Shop!);
    expect(message).toMatch(/^component root \(Shop\): its constructor's parameter 'config' has no recorded type/);
    expect(message).toContain('Shop has a class decorator, yet no parameter types were recorded');
    expect(message).toContain('Set "emitDecoratorMetadata": true (with "experimentalDecorators": true) in the compilerOptions of tsconfig.json');
    expect(message).toContain('run by the asphalt CLI is compiled with it already');
    expect(message).not.toContain('add @component()'); // it has one
    expect(message).not.toContain('ShopConfig'); // no invented class name
  });

  it('is recognised by a decorated property without a recorded type, and is told to add @component() too', () => {
    const message = graphProblem(Orders!);
    expect(message).toMatch(/^component root \(Orders\): its constructor's parameter 'settings' has no recorded type/);
    expect(message).toContain("its @requires property 'db' has no recorded type either");
    expect(message).toContain('Set "emitDecoratorMetadata": true');
    expect(message).toContain('add @component() to Orders');
  });
});

describe('a component with no class decorator, compiled with decorator metadata', () => {
  it('is told to add @component(), since TypeScript records parameter types only on a decorated class', () => {
    class PlainConfig {
      name = 'plain';
    }
    class Plain extends Component {
      constructor(readonly options: PlainConfig) {
        super();
      }
    }
    const message = graphProblem(Plain);
    expect(message).toMatch(/^component root \(Plain\): its constructor's parameter 'options' has no recorded type/);
    expect(message).toContain('add @component() to Plain');
    expect(message).not.toContain('compiled without');
  });
});
