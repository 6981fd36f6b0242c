// Students name things their own way: the rubric's name hints, matched the same way by the
// collector (which resources get per-resource reads first) and the resolver (which are the lab's).

/** True when the name contains one of the hints, ignoring case (`Sentiment-ALB` matches `sentiment`). */
export function matchesHint(name: string | undefined, hints: readonly string[]): boolean {
  if (!name) return false;
  const lower = name.toLowerCase();
  return hints.some((hint) => lower.includes(hint.toLowerCase()));
}

/** The first `limit` items, those whose name matches a hint (or is `preferred`) first, order kept otherwise. */
export function labFirst<T>(
  items: readonly T[],
  name: (item: T) => string | undefined,
  hints: readonly string[],
  limit: number,
  preferred: readonly string[] = [],
): T[] {
  const rank = (item: T) => (preferred.includes(name(item) ?? '') ? 0 : matchesHint(name(item), hints) ? 1 : 2);
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
    .slice(0, limit)
    .map(({ item }) => item);
}

/**
 * The name CloudTrail records as `Username` for the caller: the IAM user's name, the
 * role session's name for an assumed role (AWS Academy), or `root`.
 */
export function trailUsername(callerArn: string): string | undefined {
  const resource = callerArn.split(':').slice(5).join(':');
  if (resource === 'root') return 'root';
  if (resource.startsWith('user/')) return resource.split('/').pop();
  if (resource.startsWith('assumed-role/')) return resource.split('/').slice(2).join('/') || undefined;
  return undefined;
}
