/**
 * Finds, reads and parses the config file named by CROSS_ACCOUNT_CONFIG, then
 * validates it. Every failure becomes a ConfigError with one line per problem;
 * nothing here writes a file.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse, ParseError, printParseErrorCode, visit } from "jsonc-parser";
import { ConfigError, Problem } from "./problems";
import type { CrossAccountConfig } from "./types";
import { validateConfig } from "./validate";

export const CONFIG_ENV_VAR = "CROSS_ACCOUNT_CONFIG";

/** The checked-in example config, used when CROSS_ACCOUNT_CONFIG is not set. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, "example.json");

const SET_IT = `set ${CONFIG_ENV_VAR} to the path of your config JSON (e.g. ${CONFIG_ENV_VAR}=./my-config.json npx cdktf synth)`;

/** The config file path: CROSS_ACCOUNT_CONFIG resolved against `cwd`, or the example. */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const fromEnv = env[CONFIG_ENV_VAR];
  return fromEnv === undefined || fromEnv.trim() === "" ? EXAMPLE_CONFIG_PATH : path.resolve(cwd, fromEnv);
}

function fileProblem(file: string, message: string): Problem {
  return { path: CONFIG_ENV_VAR, message: `${CONFIG_ENV_VAR}: "${file}" ${message}` };
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError([fileProblem(file, `does not exist; ${SET_IT}`)]);
    if (code === "EISDIR") throw new ConfigError([fileProblem(file, `is a folder, not a file; ${SET_IT}`)]);
    const reason = code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new ConfigError([fileProblem(file, `cannot be read (${reason}); check the file's permissions`)]);
  }
}

/** Line and column (both from 1) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1] ?? "").length + 1 };
}

/** Parses strict JSON (no comments, no trailing commas) and reports the first syntax error by line and column. */
export function parseConfigJson(text: string, file: string): unknown {
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
      const fieldPath = [...pathSupplier(), key].reduce<string>(
        (soFar, segment) =>
          typeof segment === "number" ? `${soFar}[${segment}]` : soFar === "" ? segment : `${soFar}.${segment}`,
        "",
      );
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
  // Editors on Windows may start UTF-8 files with a byte-order mark; it is not part of the JSON.
  const text = readConfigText(file).replace(/^\uFEFF/, "");
  return { file, usedExample: file === EXAMPLE_CONFIG_PATH, text };
}

/** Parses and validates a config source; throws a ConfigError listing every problem. */
export function configFromSource(source: ConfigSource): CrossAccountConfig {
  const { file, text } = source;
  const raw = parseConfigJson(text, file);
  const { config, problems } = validateConfig(raw);
  const all = [...keyProblems(text), ...problems];
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
