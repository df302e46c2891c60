import { countCyclicComponents, findCycles } from '../../lib/graph/find-cycles';

/** A graph given as adjacency lists; ids are the keys, in insertion order. */
function graph(adjacency: Record<string, string[]>): [string[], (id: string) => string[]] {
  return [Object.keys(adjacency), (id) => adjacency[id] ?? []];
}

function ids(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${String(i).padStart(5, '0')}`);
}

describe('findCycles', () => {
  it('finds no cycle in a graph without one', () => {
    const [nodes, next] = graph({ app: ['db', 'mailer'], mailer: ['db', 'smtp'], db: [], smtp: [] });

    expect(findCycles(nodes, next)).toEqual([]);
    expect(countCyclicComponents(nodes, next)).toBe(0);
  });

  it('reports a self-loop as a cycle of one', () => {
    const [nodes, next] = graph({ app: ['db'], db: ['db'] });

    expect(findCycles(nodes, next)).toEqual([['db']]);
  });

  it('reports two separate cycles, each starting with its smallest id', () => {
    const [nodes, next] = graph({ web: ['mailer'], mailer: ['web'], x: ['z'], z: ['y'], y: ['x'], app: ['web', 'x'] });

    expect(findCycles(nodes, next)).toEqual([
      ['mailer', 'web'],
      ['x', 'z', 'y'],
    ]);
    expect(countCyclicComponents(nodes, next)).toBe(2);
  });

  it('reports the shortest cycle through the smallest id of a tangled component first', () => {
    const [nodes, next] = graph({ a: ['b'], b: ['c', 'a'], c: ['a'] });

    expect(findCycles(nodes, next)[0]).toEqual(['a', 'b']);
  });

  it('adds cycles until every id of a tangled component is on one', () => {
    const [nodes, next] = graph({ hub: ['a', 'b'], a: ['hub'], b: ['hub'] });

    expect(findCycles(nodes, next)).toEqual([
      ['a', 'hub'],
      ['b', 'hub'],
    ]);
    expect(countCyclicComponents(nodes, next)).toBe(1);
  });

  it('reports one cycle per component before a second cycle of any component', () => {
    const [nodes, next] = graph({ hub: ['a', 'b'], a: ['hub'], b: ['hub'], x: ['y'], y: ['x'] });

    expect(findCycles(nodes, next, 2)).toEqual([
      ['a', 'hub'],
      ['x', 'y'],
    ]);
  });

  it('explores ids reached through successors even when they are not listed', () => {
    expect(findCycles(['a'], (id) => (id === 'a' ? ['b'] : ['a']))).toEqual([['a', 'b']]);
  });

  it('reports a 10,000-node ring as one cycle of 10,000 ids, quickly', () => {
    const ring = ids(10_000);
    const index = new Map(ring.map((id, i) => [id, i]));
    const next = (id: string): string[] => [ring[(index.get(id)! + 1) % ring.length]!];
    const startingMidway = [...ring.slice(5_000), ...ring.slice(0, 5_000)];

    const began = performance.now();
    const cycles = findCycles(startingMidway, next);
    const elapsed = performance.now() - began;

    expect(cycles).toEqual([ring]);
    expect(countCyclicComponents(startingMidway, next)).toBe(1);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('walks a 10,000-node chain without overflowing the stack', () => {
    const chain = ids(10_000);
    const index = new Map(chain.map((id, i) => [id, i]));
    const next = (id: string): string[] => {
      const i = index.get(id)!;
      return i + 1 < chain.length ? [chain[i + 1]!] : [];
    };

    const began = performance.now();
    expect(findCycles(chain, next)).toEqual([]);
    expect(countCyclicComponents(chain, next)).toBe(0);
    expect(performance.now() - began).toBeLessThan(1_000);
  });

  it('returns at most `limit` cycles and counts all of them', () => {
    const adjacency: Record<string, string[]> = {};
    for (let i = 0; i < 30; i++) adjacency[`c${String(i).padStart(2, '0')}`] = [`c${String(i).padStart(2, '0')}`];
    const [nodes, next] = graph(adjacency);

    expect(findCycles(nodes, next)).toHaveLength(20);
    expect(findCycles(nodes, next, 5)).toEqual([['c00'], ['c01'], ['c02'], ['c03'], ['c04']]);
    expect(findCycles(nodes, next, 0)).toEqual([]);
    expect(countCyclicComponents(nodes, next)).toBe(30);
  });
});
