// Requirement and change-record IDs: `PREFIX-NUMBER`, exact strings (REQ-12 and REQ-012 differ).
// Every pattern here is linear: no nested quantifiers, so hostile text cannot cause backtracking blowups.

const ID_SHAPE = /^([A-Z][A-Z0-9_]{0,19})-([0-9]{1,9})$/;

export function isIdShape(value: string): boolean {
  return ID_SHAPE.test(value);
}

export function idPrefix(id: string): string | undefined {
  return ID_SHAPE.exec(id)?.[1];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A matcher for IDs with the given prefixes inside free text (issue bodies, test files). An ID must
 * stand alone: `XREQ-1` and `REQ-1a` and `REQ-1-2` are not references.
 */
export function idPattern(prefixes: Iterable<string>): RegExp {
  const alternatives = [...prefixes].map(escapeRegExp).sort((a, b) => b.length - a.length).join("|");
  return new RegExp(`(?<![A-Za-z0-9_-])(?:${alternatives})-[0-9]{1,9}(?![A-Za-z0-9_]|-[0-9])`, "g");
}

/** Every distinct ID mentioned in `text`, in order of first mention. */
export function findIds(text: string, prefixes: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(idPattern(prefixes))) seen.add(match[0]);
  return [...seen];
}

/**
 * The known ID closest to `wanted`, for "did you mean …?" hints: same number with other zero padding
 * first (REQ-12 → REQ-012), then the smallest edit distance (at most 2). Undefined when nothing is close.
 */
export function closestId(wanted: string, known: Iterable<string>): string | undefined {
  const wantedNumber = numberPart(wanted);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    if (candidate === wanted) continue;
    let score: number;
    if (wantedNumber !== undefined && numberPart(candidate) === wantedNumber && idPrefix(candidate) === idPrefix(wanted)) {
      score = 0;
    } else {
      if (Math.abs(candidate.length - wanted.length) > 2) continue;
      score = editDistance(wanted, candidate, 3);
      if (score > 2) continue;
    }
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function numberPart(id: string): number | undefined {
  const m = ID_SHAPE.exec(id);
  return m ? Number(m[2]) : undefined;
}

/** Levenshtein distance, giving up (returning `limit`) once every path exceeds it. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return previous[b.length]!;
}
