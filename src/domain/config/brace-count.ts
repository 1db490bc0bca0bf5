// How many patterns a glob's braces expand to, counted without expanding: minimatch expands `{a,b}`
// alternatives and `{1..9}` ranges eagerly, so `{a,b}` twenty-five times is 33 million patterns
// (seconds and hundreds of MB). The configuration refuses globs over a bound before any is compiled.

export const MAX_BRACE_EXPANSIONS = 256;

/** The number of patterns `glob` expands to, or `cap + 1` as soon as it is known to exceed `cap`. */
export function braceExpansions(glob: string, cap = MAX_BRACE_EXPANSIONS): number {
  let pos = 0;
  const clamp = (n: number) => Math.min(n, cap + 1);

  // sequence := (literal | group)*, until `stop` characters at this level
  const sequence = (stops: string): number => {
    let count = 1;
    while (pos < glob.length && !stops.includes(glob[pos]!)) {
      const c = glob[pos]!;
      if (c === "\\") {
        pos += 2;
      } else if (c === "{") {
        const start = pos;
        const n = group();
        if (n === undefined) pos = start + 1; // unbalanced: a literal brace
        else count = clamp(count * n);
      } else {
        pos++;
      }
    }
    return count;
  };

  // group := "{" sequence ("," sequence)* "}"  |  "{" x ".." y [".." step] "}"
  const group = (): number | undefined => {
    const start = pos;
    pos++;
    const range = /^\{(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?\}/.exec(glob.slice(start, start + 64));
    if (range) {
      pos = start + range[0].length;
      const [a, b] = [range[1]!, range[2]!];
      const step = Math.max(1, Math.abs(Number(range[3] ?? 1)) || 1);
      const span = /\d/.test(a) && /\d/.test(b) ? Math.abs(Number(b) - Number(a)) : Math.abs(b.charCodeAt(0) - a.charCodeAt(0));
      return clamp(Math.floor(span / step) + 1);
    }
    let total = 0;
    let alternatives = 0;
    for (;;) {
      total = clamp(total + sequence(",}"));
      alternatives++;
      if (pos >= glob.length) return undefined;
      if (glob[pos] === "}") {
        pos++;
        // `{a}` is no alternation: minimatch keeps it literal.
        return alternatives === 1 ? 1 : total;
      }
      pos++; // ","
    }
  };

  return sequence("");
}
