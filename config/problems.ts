/**
 * A configuration problem is one line: the field path, the bad value, what is
 * expected and an example, e.g.
 *   bucketOwner.accountId: "12345" is not a 12-digit AWS account id (e.g. "111122223333")
 */
export interface Problem {
  /** Dotted path of the field, e.g. `bucketOwner.accountId`. */
  readonly path: string;
  /** The whole line a person reads. */
  readonly message: string;
}

/** Shows a value the way it was written in JSON, shortened when long. */
export function showValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  // JSON.stringify gives undefined for functions and symbols, which no JSON file holds.
  const text = (JSON.stringify(value) as string | undefined) ?? typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Builds the standard one-line problem for `path` holding `value`. */
export function problem(path: string, value: unknown, expected: string): Problem {
  return { path, message: `${path}: ${showValue(value)} ${expected}` };
}

/**
 * Thrown when configuration or construct props are invalid. Carries every
 * problem found, so one run reports all of them.
 */
export class ConfigError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], heading?: string) {
    const lines = problems.map((p) => p.message);
    super([heading, ...lines].filter((line) => line !== undefined).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Throws one ConfigError naming `where` (a construct path) when there are problems. */
export function throwIfProblems(problems: readonly Problem[], where: string): void {
  if (problems.length > 0) {
    throw new ConfigError(
      problems.map((p) => ({ path: p.path, message: `[${where}] ${p.message}` })),
      `Invalid props for ${where}:`,
    );
  }
}
