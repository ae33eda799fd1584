/**
 * "Did you mean ...?" for enum values, YAML keys and CLI flags: a typo should cost the user one
 * glance, not a trip to the docs.
 */

/** Suggestions further than this many edits away are more confusing than helpful. */
const MAX_SUGGESTION_DISTANCE = 2;

/**
 * Levenshtein distance (insertions, deletions, substitutions, each costing 1) between `a` and
 * `b`. O(|a|·|b|) time, O(|b|) memory; inputs here are short names.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `value` (compared case-insensitively, so `Reload` finds `reload`),
 * or `undefined` when none is within 2 edits. Ties go to the earlier candidate.
 */
export function closestMatch(value: string, candidates: readonly string[]): string | undefined {
  const wanted = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean 'x'?` for the closest candidate, or `undefined` when there is none. */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  const match = closestMatch(value, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
