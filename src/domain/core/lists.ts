// Long lists shown to people (check runs, comments, the terminal) are cut to their first items and say
// how many were left out, in one wording everywhere: "a, b and 3 more", or a last bullet "- … and 3 more".

/** The first `max` items, each rendered, joined with ", ", then "and N more" when some are left out. */
export function joinFirst<T>(items: readonly T[], max: number, render: (item: T) => string = String): string {
  const shown = items.slice(0, max).map(render).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * The first `max` items as Markdown bullets (`indent` before each dash), then one bullet "… and N more"
 * (`more` appended to it, e.g. where the rest can be seen) when some are left out.
 */
export function bulletsWithMore<T>(items: readonly T[], max: number, render: (item: T) => string, options: { indent?: string; more?: string } = {}): string[] {
  const indent = options.indent ?? "";
  const lines = items.slice(0, max).map((item) => `${indent}- ${render(item)}`);
  if (items.length > max) lines.push(`${indent}- … and ${items.length - max} more${options.more ?? ""}`);
  return lines;
}
