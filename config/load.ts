/**
 * Finds, reads and parses the config file named by CROSS_ACCOUNT_CONFIG, then
 * validates it. Every failure becomes a ConfigError with one line per problem;
 * nothing here writes a file. Reading is bounded (config-file.ts: a regular
 * file of at most 1 MiB, never a FIFO or a device) and so is parsing (nesting
 * depth is checked before the recursive parser runs).
 */
import * as path from "node:path";
import { createScanner, parse, ParseError, printParseErrorCode, visit } from "jsonc-parser";
import { decodeConfigText, readConfigBytes } from "./config-file";
import { ConfigError, Problem } from "./problems";
import type { CrossAccountConfig } from "./types";
import { validateConfig } from "./validate";

export const CONFIG_ENV_VAR = "CROSS_ACCOUNT_CONFIG";

/** The checked-in example config, used when CROSS_ACCOUNT_CONFIG is not set. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, "example.json");

/**
 * How deep objects and lists may nest. The deepest real config nests 4 levels;
 * the parser and validator recurse per level and a file nested thousands deep
 * overflows the stack, so the limit is checked before parsing.
 */
export const MAX_CONFIG_NESTING = 32;

/**
 * The config file path: CROSS_ACCOUNT_CONFIG resolved against `cwd`, or the
 * example when it is not set. Set but empty is an error, not the example: an
 * empty value is a script's unset variable, and synthesizing the example over
 * the user's output would be a silent surprise.
 */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = configEnvValue(env);
  return fromEnv === undefined ? EXAMPLE_CONFIG_PATH : path.resolve(cwd, fromEnv);
}

/**
 * CROSS_ACCOUNT_CONFIG as every command reads it: undefined when not set, an
 * error when set but empty (or blank), else its value.
 */
export function configEnvValue(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[CONFIG_ENV_VAR];
  if (fromEnv === undefined || fromEnv.trim() !== "") return fromEnv;
  throw new ConfigError([
    {
      path: CONFIG_ENV_VAR,
      message: `${CONFIG_ENV_VAR} is set but empty; set it to the path of your config JSON (e.g. ${CONFIG_ENV_VAR}=config/my-config.json npm run synth), or unset it to synthesize the example config`,
    },
  ]);
}

/** Line and column (both from 1) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1] ?? "").length + 1 };
}

/**
 * Where `text` first nests objects and lists deeper than `limit`, if it does.
 * Uses the parser's own scanner (iterative), so strings holding brackets are skipped correctly.
 */
export function nestingBeyond(text: string, limit: number): { depth: number; offset: number } | undefined {
  // jsonc-parser's SyntaxKind values; it declares them as a const enum, which isolatedModules cannot import.
  const [openBrace, closeBrace, openBracket, closeBracket, eof] = [1, 2, 3, 4, 17] as const;
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token: number = scanner.scan(); token !== eof; token = scanner.scan()) {
    if (token === openBrace || token === openBracket) {
      depth += 1;
      if (depth > limit) return { depth, offset: scanner.getTokenOffset() };
    } else if (token === closeBrace || token === closeBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Parses strict JSON (no comments, no trailing commas) and reports the first syntax error by line and column. */
export function parseConfigJson(text: string, file: string): unknown {
  const deep = nestingBeyond(text, MAX_CONFIG_NESTING);
  if (deep !== undefined) {
    const { line, column } = lineAndColumn(text, deep.offset);
    throw new ConfigError([
      {
        path: CONFIG_ENV_VAR,
        message: `${file}:${line}:${column}: objects and lists nest more than ${MAX_CONFIG_NESTING} levels deep here; a config nests at most ${MAX_CONFIG_NESTING} (a real one 4); is it the right file?`,
      },
    ]);
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = lineAndColumn(text, first.offset);
    const what = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, "$1 $2")
      .toLowerCase();
    throw new ConfigError([
      {
        path: CONFIG_ENV_VAR,
        message: `${file}:${line}:${column}: not valid JSON (${what} at line ${line}, column ${column}); config files are strict JSON: no comments, no trailing commas, keys in double quotes`,
      },
    ]);
  }
  return value;
}

/**
 * Keys that parse but silently change what the file says: a key repeated in
 * one object (parsers keep the last value, so `"accessLevel": "read-only"`
 * earlier in the file would be ignored) and `"__proto__"` (which parsing turns
 * into the object's prototype, invisible to the unknown-key check).
 */
export function keyProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  const open: Array<Map<string, number>> = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Map()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      // The same path shape as the other problems: bucket.name, humanAccess.roleArns[0].
      const fieldPath = fieldPathOf([...pathSupplier(), key]);
      const line = startLine + 1;
      if (key === "__proto__") {
        problems.push({
          path: fieldPath,
          message: `${fieldPath} (line ${line}): "__proto__" is not a config key and would be read as the object's prototype; remove it`,
        });
      }
      const keys = open[open.length - 1];
      const earlier = keys?.get(key);
      if (earlier !== undefined) {
        problems.push({
          path: fieldPath,
          message: `${fieldPath}: appears twice in one object (lines ${earlier} and ${line}); JSON keeps only the last value, so remove one (e.g. keep the line with the value you mean)`,
        });
      }
      keys?.set(key, earlier ?? line);
    },
  });
  return problems;
}

/** A field path in the problems' shape: bucket.name, humanAccess.roleArns[0]. */
function fieldPathOf(segments: readonly (string | number)[]): string {
  return segments.reduce<string>(
    (soFar, segment) =>
      typeof segment === "number" ? `${soFar}[${segment}]` : soFar === "" ? segment : `${soFar}.${segment}`,
    "",
  );
}

/** Why a number literal cannot be held exactly by a JavaScript number (what JSON is read into), if it cannot. */
function inexactNumber(literal: string, value: number): string | undefined {
  if (!Number.isFinite(value)) {
    return `is too large for a number (beyond ±1.8e308), so it would be read as ${value > 0 ? "" : "-"}infinity`;
  }
  if (value === 0 && /[1-9]/.test(literal.split(/[eE]/)[0] ?? "")) {
    return "is too small for a number (below 5e-324), so it would be read as 0";
  }
  if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value)) {
    return `has more digits than a number holds exactly (whole numbers up to 9007199254740991), so it would be read as ${String(value)}`;
  }
  return undefined;
}

/**
 * Numbers in the file that cannot be read exactly: JSON itself has no limit,
 * but the parsed value would silently differ (1e400 becomes infinity, shown as
 * null), so they are named with the value as written.
 */
export function numberProblems(text: string): Problem[] {
  const problems: Problem[] = [];
  visit(text, {
    onLiteralValue: (value: unknown, offset, length, startLine, _startCharacter, pathSupplier) => {
      if (typeof value !== "number") return;
      const literal = text.slice(offset, offset + length);
      const why = inexactNumber(literal, value);
      if (why === undefined) return;
      const fieldPath = fieldPathOf(pathSupplier()) || "(top level)";
      problems.push({
        path: fieldPath,
        message: `${fieldPath} (line ${startLine + 1}): ${literal} ${why}; write the value you mean within that range (or as a string in quotes where the field takes text)`,
      });
    },
  });
  return problems;
}

/** A config file as read: where it is, whether it is the fallback example, and its text. */
export interface ConfigSource {
  /** Absolute path of the file. */
  readonly file: string;
  /** True when CROSS_ACCOUNT_CONFIG was not set and the checked-in example was used. */
  readonly usedExample: boolean;
  /** The file's text as read (a leading byte-order mark removed). */
  readonly text: string;
}

/** A validated config with the file it came from. */
export interface LoadedConfig {
  readonly source: ConfigSource;
  readonly config: CrossAccountConfig;
}

/** Reads the config file named by CROSS_ACCOUNT_CONFIG (or the example); throws a ConfigError when it cannot. */
export function readConfigSource(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ConfigSource {
  const file = configPath(env, cwd);
  const text = decodeConfigText(readConfigBytes(file), file);
  return { file, usedExample: env[CONFIG_ENV_VAR] === undefined, text };
}

/** Parses and validates a config source; throws a ConfigError listing every problem. */
export function configFromSource(source: ConfigSource): CrossAccountConfig {
  const { file, text } = source;
  const raw = parseConfigJson(text, file);
  const { config, problems } = validateConfig(raw);
  const inexact = numberProblems(text);
  // A field whose number could not be read exactly is named once, as written; the validator saw only the altered value.
  const altered = new Set(inexact.map((p) => p.path));
  const all = [...keyProblems(text), ...inexact, ...problems.filter((p) => !altered.has(p.path))];
  if (config === undefined || all.length > 0) {
    throw new ConfigError(all, `${file}: ${all.length} problem(s) in the configuration:`);
  }
  return config;
}

/** Reads, parses and validates the config, keeping the file it came from. */
export function loadConfigWithSource(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): LoadedConfig {
  const source = readConfigSource(env, cwd);
  return { source, config: configFromSource(source) };
}

/** Reads, parses and validates the config; throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): CrossAccountConfig {
  return loadConfigWithSource(env, cwd).config;
}
