import { Component, ComponentTypeRegistry, registerComponentType } from '../../lib';
import { resolveComponentType } from '../../lib/components/resolve-component-type';

class DbA extends Component {}
class DbB extends Component {}
class Shared extends Component {}

describe('component type registries', () => {
  it('keep the names one application registers away from another in the same process', () => {
    const first = new ComponentTypeRegistry();
    const second = new ComponentTypeRegistry();
    first.register('db-registry-spec', DbA);
    second.register('db-registry-spec', DbB);

    expect(resolveComponentType('db-registry-spec', 'component db', process.cwd(), first)).toBe(DbA);
    expect(resolveComponentType('db-registry-spec', 'component db', process.cwd(), second)).toBe(DbB);
    expect(() => resolveComponentType('db-registry-spec', 'component db')).toThrow(
      expect.objectContaining({ code: 'ASPHALT_COMPONENT_TYPE' }),
    );
  });

  it('fall back to the process-wide names, which an application shares on purpose', () => {
    registerComponentType('shared-registry-spec', Shared);
    const own = new ComponentTypeRegistry();
    own.register('own-registry-spec', DbA);

    expect(resolveComponentType('shared-registry-spec', 'component s', process.cwd(), own)).toBe(Shared);
    expect(resolveComponentType('container', 'component c', process.cwd(), own).name).toBe('ContainerComponent');
    expect(own.names()).toEqual(expect.arrayContaining(['container', 'own-registry-spec', 'shared-registry-spec']));
    expect(new ComponentTypeRegistry(null).names()).toEqual([]);
  });

  it('let an application override a process-wide name for itself only', () => {
    registerComponentType('override-registry-spec', DbA);
    const own = new ComponentTypeRegistry();
    own.register('override-registry-spec', DbB);

    expect(resolveComponentType('override-registry-spec', 'component o', process.cwd(), own)).toBe(DbB);
    expect(resolveComponentType('override-registry-spec', 'component o')).toBe(DbA);
  });
});
