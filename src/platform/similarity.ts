// Text similarity for short citizen texts (Chinese or mixed): character bigrams compared by the
// Jaccard index. Used to find near-duplicate appeals and to suggest groups of similar comments
// on a consultation (one disposition per group in the adoption report).

/** The set of character bigrams of a text, lower-cased, without spaces, punctuation or symbols. */
export function bigrams(s: string): Set<string> {
  const clean = s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  const out = new Set<string>();
  for (let i = 0; i < clean.length - 1; i++) out.add(clean.slice(i, i + 2));
  return out;
}

/** |a ∩ b| / |a ∪ b| (0 when either is empty). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** The similarity (0..1) of two texts. */
export function similarity(a: string, b: string): number {
  return jaccard(bigrams(a), bigrams(b));
}

/**
 * Suggested groups of similar texts: indexes into `texts`, linked when their similarity is at least
 * `threshold` (0 < threshold ≤ 1), grouped transitively (single linkage). Only groups of two or
 * more are returned, each in index order, the groups ordered by their first index. Texts with
 * fewer than two characters (no bigram) are never grouped. Quadratic: meant for the few thousand
 * comments of one consultation at most.
 */
export function clusterSimilar(texts: readonly string[], threshold: number): number[][] {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  const sets = texts.map(bigrams);
  const parent = texts.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < sets.length; i++) {
    if (!sets[i].size) continue;
    for (let j = i + 1; j < sets.length; j++) {
      if (!sets[j].size) continue;
      // The Jaccard index cannot reach the threshold when the sizes differ too much.
      const [lo, hi] = sets[i].size < sets[j].size ? [sets[i].size, sets[j].size] : [sets[j].size, sets[i].size];
      if (lo / hi < threshold) continue;
      if (jaccard(sets[i], sets[j]) >= threshold) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < texts.length; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()].filter((g) => g.length > 1).sort((a, b) => a[0] - b[0]);
}
