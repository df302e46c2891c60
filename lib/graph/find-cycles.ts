type Successors = (id: string) => readonly string[];

/**
 * Elementary cycles of a directed graph, for error messages: at most `limit`, each as its ids in
 * order, starting with its smallest id (by `<`), without repeating the first at the end. A
 * self-loop is the one-id cycle `[id]`.
 *
 * Every strongly connected component that contains a cycle contributes one cycle (the shortest
 * one through its smallest id) before any component contributes a second, so independent cycles
 * are all reported while the limit allows. Then, within the limit, more cycles are added until
 * every id of those components is on some reported cycle. Ids reached through `successors` but
 * missing from `nodeIds` are explored too. Iterative throughout: long chains and rings of tens of
 * thousands of ids are fine. Pair with {@link countCyclicComponents} to say "and N more".
 *
 * @example
 * const next = { a: ['b'], b: ['a'], c: ['c'] };
 * findCycles(['a', 'b', 'c'], (id) => next[id]); // [['a', 'b'], ['c']]
 */
export function findCycles(
  nodeIds: readonly string[],
  successors: (id: string) => Iterable<string>,
  limit = 20,
): string[][] {
  const successorsOf = cached(successors);
  const components = cyclicComponents(nodeIds, successorsOf).map((members) => members.sort(byId));
  components.sort((a, b) => byId(a[0]!, b[0]!));
  const max = Math.max(0, Math.floor(limit));

  const cycles: string[][] = [];
  const seen = new Set<string>();
  const covered = new Set<string>();
  const report = (cycle: string[]): void => {
    const key = cycle.join('\0');
    if (seen.has(key)) return;
    seen.add(key);
    cycles.push(cycle);
    for (const id of cycle) covered.add(id);
  };

  const memberSets = components.map((members) => new Set(members));
  components.forEach((members, i) => {
    if (cycles.length < max) report(shortestCycleThrough(members[0]!, memberSets[i]!, successorsOf));
  });
  components.forEach((members, i) => {
    for (const id of members) {
      if (cycles.length >= max) return;
      if (!covered.has(id)) report(rotateToSmallest(shortestCycleThrough(id, memberSets[i]!, successorsOf)));
    }
  });
  return cycles;
}

/**
 * How many strongly connected components of the graph contain a cycle (self-loops included):
 * the number of independent cycles, to tell the reader how many {@link findCycles} left out.
 */
export function countCyclicComponents(
  nodeIds: readonly string[],
  successors: (id: string) => Iterable<string>,
): number {
  return cyclicComponents(nodeIds, cached(successors)).length;
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cached(successors: (id: string) => Iterable<string>): Successors {
  const lists = new Map<string, readonly string[]>();
  return (id) => {
    let list = lists.get(id);
    if (list === undefined) {
      list = [...successors(id)];
      lists.set(id, list);
    }
    return list;
  };
}

/** Tarjan's algorithm with an explicit stack; keeps only components that contain a cycle. */
function cyclicComponents(nodeIds: readonly string[], successorsOf: Successors): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const frames: { id: string; next: number }[] = [];
  const result: string[][] = [];

  const enter = (id: string): void => {
    const order = index.size;
    index.set(id, order);
    low.set(id, order);
    stack.push(id);
    onStack.add(id);
    frames.push({ id, next: 0 });
  };

  for (const start of nodeIds) {
    if (index.has(start)) continue;
    enter(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const next = successorsOf(frame.id);
      if (frame.next < next.length) {
        const to = next[frame.next++]!;
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;

      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      if (component.length > 1 || next.includes(frame.id)) result.push(component);
    }
  }
  return result;
}

/** Breadth-first search from `start` back to itself, staying inside `members`. */
function shortestCycleThrough(start: string, members: ReadonlySet<string>, successorsOf: Successors): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    for (const to of successorsOf(from)) {
      if (to === start) {
        const cycle = [from];
        for (let at = from; at !== start; ) {
          at = previous.get(at)!;
          cycle.push(at);
        }
        return cycle.reverse();
      }
      if (members.has(to) && !previous.has(to)) {
        previous.set(to, from);
        queue.push(to);
      }
    }
  }
  return [start];
}

function rotateToSmallest(cycle: string[]): string[] {
  let smallest = 0;
  cycle.forEach((id, i) => {
    if (id < cycle[smallest]!) smallest = i;
  });
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
}
