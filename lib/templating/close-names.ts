/** Up to `limit` of `candidates` closest to `word` (edit distance, prefix and containment), best first. */
export function closeNames(word: string, candidates: readonly string[], limit = 3): string[] {
  const scored = candidates.map((candidate) => ({ candidate, score: score(word, candidate) }));
  const bound = Math.max(2, Math.floor(word.length / 3));
  return scored
    .filter(({ score }) => score <= bound)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

function score(word: string, candidate: string): number {
  const a = word.toLowerCase();
  const b = candidate.toLowerCase();
  if (a === b) return 0;
  if (b.startsWith(a) || a.startsWith(b) || b.includes(a)) return 1;
  return editDistance(a, b);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
