/**
 * The command line of diff, deploy and destroy: stack names, `--output DIR`,
 * and the cdktf CLI's own flags, which are passed through unchanged. Parsed
 * with node:util parseArgs against the CLI's option list (cdktf-cli 0.21,
 * `cdktf deploy --help`), so a mistyped flag is refused here in one line
 * instead of reaching terraform, and a flag's value is never taken for a stack
 * name.
 */
import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import { CommandError } from "./command-error";

export type Verb = "diff" | "deploy" | "destroy";

type OptionSpec = { readonly type: "string" | "boolean"; readonly multiple?: boolean; readonly short?: string };

/** Flags every one of the three takes. */
const COMMON: Readonly<Record<string, OptionSpec>> = {
  "no-color": { type: "boolean" },
  "migrate-state": { type: "boolean" },
  "skip-provider-lock": { type: "boolean" },
  "disable-plugin-cache-env": { type: "boolean" },
  "terraform-parallelism": { type: "string" },
  var: { type: "string", multiple: true },
  "var-file": { type: "string", multiple: true },
};

/** The cdktf CLI's flags per command, besides --output, --skip-synth and --help. */
export const CLI_FLAGS: Readonly<Record<Verb, Readonly<Record<string, OptionSpec>>>> = {
  diff: { ...COMMON, "refresh-only": { type: "boolean" } },
  deploy: {
    ...COMMON,
    "auto-approve": { type: "boolean" },
    "outputs-file": { type: "string" },
    "outputs-file-include-sensitive-outputs": { type: "boolean" },
    "ignore-missing-stack-dependencies": { type: "boolean" },
    parallelism: { type: "string" },
    "refresh-only": { type: "boolean" },
  },
  destroy: {
    ...COMMON,
    "auto-approve": { type: "boolean" },
    "ignore-missing-stack-dependencies": { type: "boolean" },
    parallelism: { type: "string" },
  },
};

/** Options this project's commands handle themselves. */
const OWN: Readonly<Record<string, OptionSpec>> = {
  output: { type: "string", short: "o" },
  "skip-synth": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

export interface CommandLine {
  /** Stack names, as given. */
  readonly stacks: readonly string[];
  /** `--output DIR`, if given. */
  readonly output: string | undefined;
  readonly help: boolean;
  /** The cdktf CLI flags given, in order, to pass through. */
  readonly flags: readonly Flag[];
}

/** One cdktf CLI flag: `--var a=1` is `{ name: "var", value: "a=1" }`. */
export interface Flag {
  readonly name: string;
  readonly value?: string;
}

/** The flags as arguments: `["--auto-approve", "--var", "a=1"]`. */
export function flagArgs(flags: readonly Flag[]): string[] {
  return flags.flatMap((flag) => (flag.value === undefined ? [`--${flag.name}`] : [`--${flag.name}`, flag.value]));
}

/** The flags of `verb`, wrapped for a usage text: `--auto-approve, --var, …`. */
export function flagList(verb: Verb, indent: string): string {
  const lines: string[][] = [];
  for (const flag of Object.keys(CLI_FLAGS[verb]).map((name) => `--${name}`)) {
    const line = lines.at(-1);
    if (line !== undefined && [indent, ...line, flag].join(", ").length <= 110) line.push(flag);
    else lines.push([flag]);
  }
  return lines.map((line) => `${indent}${line.join(", ")}`).join(",\n");
}

/** parseArgs's error in one line, with the nearest known flag for a mistyped one. */
function parseProblem(error: unknown, known: readonly string[]): string {
  const { code, message } = error as { code?: string; message?: string };
  const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message ?? "")?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && unknown !== undefined) {
    const name = unknown.replace(/^-+/, "").split("=")[0] ?? "";
    const nearest = closest(name, [...known]);
    const hint = distance(name, nearest) <= 3 ? `; did you mean --${nearest}?` : "";
    return `${unknown} is not a flag it takes${hint}`;
  }
  return (message ?? String(error)).split(". ")[0] ?? "";
}

/** Parses the arguments of `npm run <verb> -- …`; throws a one-line CommandError for an unknown flag. */
export function parseCommandLine(verb: Verb, args: readonly string[]): CommandLine {
  const options = { ...CLI_FLAGS[verb], ...OWN };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; tokens: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new CommandError([
      `npm run ${verb}: ${parseProblem(error, Object.keys(options))} (npm run ${verb} -- --help)`,
    ]);
  }
  const flags: Flag[] = [];
  for (const token of parsed.tokens) {
    if (token.kind !== "option" || token.name in OWN) continue;
    flags.push(token.value === undefined ? { name: token.name } : { name: token.name, value: token.value });
  }
  return {
    stacks: parsed.positionals,
    output: parsed.values.output as string | undefined,
    help: parsed.values.help === true,
    flags,
  };
}
