/**
 * Runs the real Terraform CLI on stacks the app synthesized to disk, offline:
 * finds the binary and a filesystem mirror of the AWS provider, gives the
 * suites their own CLI config, and turns Terraform's JSON diagnostics into
 * one readable line each (severity, summary, detail, file:line:column).
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import type { CrossAccountConfig } from "../../config/types";
import { addStacks, appStackIds } from "../../stacks/app-stacks";
import { synthSafely } from "../../synth/synth-safely";

/** Names the Terraform binary to use instead of `terraform` on the PATH. */
export const TERRAFORM_BINARY_ENV = "CROSS_ACCOUNT_TERRAFORM";
/** Names a provider mirror folder to use instead of the usual locations. */
export const PROVIDER_MIRROR_ENV = "CROSS_ACCOUNT_PROVIDER_MIRROR";

const PROVIDER_HOST_PATH = path.join("registry.terraform.io", "hashicorp", "aws");

/** What the suites need to run Terraform offline. */
export interface Toolchain {
  /** The Terraform binary. */
  readonly binary: string;
  /** Its version, e.g. "1.11.4". */
  readonly terraformVersion: string;
  /** The filesystem mirror holding hashicorp/aws. */
  readonly mirror: string;
  /** Every hashicorp/aws version the mirror holds for this platform, newest first. */
  readonly providerVersions: readonly string[];
  /** Environment for every terraform command: the suite's own CLI config, no ambient TF_* or AWS_* settings. */
  readonly env: NodeJS.ProcessEnv;
  /** A folder whose `terraform` answers `terraform version` at once (see versionShim); undefined on Windows. */
  readonly versionShimDir?: string;
}

export type ToolchainLookup = { readonly toolchain: Toolchain } | { readonly skipReason: string };

/** Terraform's name for this machine's platform, e.g. "linux_amd64". */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" };
  return `${process.platform === "win32" ? "windows" : process.platform}_${arch[process.arch] ?? process.arch}`;
}

/**
 * Folders Terraform itself searches as implicit local mirrors on Unix
 * (the CLI configuration's "Implied Local Mirror Directories"), plus /opt/tf-plugins.
 */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env[PROVIDER_MIRROR_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return [fromEnv];
  const dataHome = env.XDG_DATA_HOME ?? path.join(homedir(), ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS ?? "/usr/local/share:/usr/share").split(":").filter((dir) => dir !== "");
  return [
    "/opt/tf-plugins",
    path.join(homedir(), ".terraform.d", "plugins"),
    path.join(dataHome, "terraform", "plugins"),
    ...dataDirs.map((dir) => path.join(dir, "terraform", "plugins")),
  ];
}

/** The hashicorp/aws versions `mirror` holds for `platform`, unpacked or packed layout, newest first. */
export function mirroredProviderVersions(mirror: string, platform: string = terraformPlatform()): string[] {
  const providerDir = path.join(mirror, PROVIDER_HOST_PATH);
  if (!existsSync(providerDir)) return [];
  const versions = new Set<string>();
  for (const entry of readdirSync(providerDir)) {
    const unpacked = path.join(providerDir, entry, platform);
    if (existsSync(unpacked) && readdirSync(unpacked).some((file) => file.startsWith("terraform-provider-aws"))) {
      versions.add(entry);
    }
    const packed = new RegExp(`^terraform-provider-aws_(.+)_${platform}\\.zip$`).exec(entry);
    if (packed?.[1] !== undefined) versions.add(packed[1]);
  }
  // Numeric collation orders "5.100.0" after "5.99.0".
  return [...versions].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
}

/** Environment keys that would change what Terraform or the AWS SDK does (logging, data dir, credentials). */
function isAmbientSetting(key: string): boolean {
  return key.startsWith("TF_") || key.startsWith("AWS_") || key === "CHECKPOINT_DISABLE";
}

/**
 * Finds Terraform and the provider mirror, and writes the suite's CLI config
 * into `workDir`: the mirror as the only provider source (so nothing is
 * downloaded), and a plugin cache, which for an unpacked mirror holds only a
 * link to it, so each stack's init links the ~700 MB provider instead of copying it.
 */
export function findToolchain(workDir: string, env: NodeJS.ProcessEnv = process.env): ToolchainLookup {
  const binary = env[TERRAFORM_BINARY_ENV] ?? "terraform";
  const platform = terraformPlatform();
  const candidates = mirrorCandidates(env);
  const mirror = candidates.find((dir) => mirroredProviderVersions(dir, platform).length > 0);
  if (mirror === undefined) {
    return {
      skipReason: `no filesystem mirror of hashicorp/aws for ${platform} in ${candidates.join(", ")} (set ${PROVIDER_MIRROR_ENV} to one)`,
    };
  }
  mkdirSync(workDir, { recursive: true });
  const cliConfigFile = path.join(workDir, "terraform.tfrc");
  const pluginCache = path.join(workDir, "plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  writeFileSync(
    cliConfigFile,
    [
      "provider_installation {",
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/hashicorp/*"]`,
      "  }",
      "}",
      `plugin_cache_dir = ${JSON.stringify(pluginCache)}`,
      "",
    ].join("\n"),
  );
  const base = Object.fromEntries(Object.entries(env).filter(([key]) => !isAmbientSetting(key)));
  const terraformEnv: NodeJS.ProcessEnv = {
    ...base,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // No credentials from this machine: no shared config or credentials files, no instance metadata.
    AWS_CONFIG_FILE: path.join(workDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  };
  const version = spawnSync(binary, ["version", "-json"], { cwd: workDir, env: terraformEnv, encoding: "utf8" });
  if (version.error !== undefined || version.status !== 0) {
    const reason = version.error?.message ?? `exit ${version.status}: ${version.stderr.trim()}`;
    return { skipReason: `the Terraform CLI "${binary}" did not run (${reason}); set ${TERRAFORM_BINARY_ENV}` };
  }
  const terraformVersion = (JSON.parse(version.stdout) as { terraform_version: string }).terraform_version;
  return {
    toolchain: {
      binary,
      terraformVersion,
      mirror,
      providerVersions: mirroredProviderVersions(mirror, platform),
      env: terraformEnv,
      versionShimDir: versionShim(binary, workDir, terraformEnv),
    },
  };
}

/**
 * cdktf runs `terraform version` at every synth for each terraform_data and
 * cloud block (a check that Terraform is new enough for them): 64 runs for the
 * suite's configs, ~70% of their synth time. This writes a `terraform` that
 * prints what the real binary printed for `version`, once, and hands any other
 * command to the real binary; synthToDisk puts it first on the PATH.
 */
function versionShim(binary: string, workDir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (process.platform === "win32") return undefined;
  const real = binary.includes("/") ? path.resolve(binary) : whichOnPath(binary, env.PATH ?? "");
  if (real === undefined) return undefined;
  const output = spawnSync(real, ["version"], { env, encoding: "utf8" }).stdout;
  const dir = path.join(workDir, "version-shim");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "version.txt"), output);
  const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;
  const shim = path.join(dir, "terraform");
  writeFileSync(
    shim,
    [
      "#!/bin/sh",
      `if [ "$#" -eq 1 ] && [ "$1" = version ]; then exec cat ${quote(path.join(dir, "version.txt"))}; fi`,
      `exec ${quote(real)} "$@"`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  return dir;
}

function whichOnPath(name: string, searchPath: string): string | undefined {
  return searchPath
    .split(path.delimiter)
    .map((dir) => path.join(dir, name))
    .find((candidate) => existsSync(candidate));
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command without blocking the event loop (the AWS stub the plan suite
 * starts answers from this same process). Rejects only when it could not run.
 */
export function run(
  binary: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 600_000,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...args],
      { cwd, env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error?.killed === true) {
          reject(new Error(`${binary} ${args.join(" ")} in ${cwd}: stopped after ${timeoutMs / 1000} s`));
          return;
        }
        if (error !== null && typeof error.code !== "number") {
          reject(new Error(`${binary} ${args.join(" ")} in ${cwd}: ${error.message}`));
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** The last `terraform init` started by this process; the next one waits for it. */
let previousInit: Promise<unknown> = Promise.resolve();

/**
 * `terraform <args>` in `cwd` with the toolchain's environment (plus `extraEnv`).
 * Inits run one at a time: Terraform's plugin cache is not safe for concurrent
 * use (two inits at once failed with "still not detected in .terraform/providers").
 */
export function terraform(
  toolchain: Toolchain,
  cwd: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  const start = () => run(toolchain.binary, [...args, "-no-color"], cwd, { ...toolchain.env, ...extraEnv });
  if (args[0] !== "init") return start();
  const result = previousInit.then(start, start);
  previousInit = result;
  return result;
}

/** One Terraform diagnostic, as `validate -json` and the `-json` UI stream give it. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: {
    readonly filename: string;
    readonly start: { readonly line: number; readonly column: number };
  };
  readonly snippet?: { readonly context?: string | null; readonly code?: string };
}

/** The diagnostics of `terraform validate -json`. */
export function validateDiagnostics(stdout: string): Diagnostic[] {
  return (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

/** The diagnostics in the machine-readable UI stream of `init -json`, `plan -json` and `apply -json`. */
export function streamDiagnostics(stdout: string): Diagnostic[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type?: string; diagnostic?: Diagnostic })
    .filter((message) => message.type === "diagnostic" && message.diagnostic !== undefined)
    .map((message) => message.diagnostic!);
}

/** `error: Invalid character: This character is not used… (accessor/cdk.tf.json:139:13, in resource.aws_instance…)`. */
export function formatDiagnostic(diagnostic: Diagnostic, fileLabel: (filename: string) => string = (f) => f): string {
  const detail = (diagnostic.detail ?? "").replace(/\s*\n\s*/g, " ").trim();
  const where: string[] = [];
  if (diagnostic.range !== undefined) {
    const { filename, start } = diagnostic.range;
    where.push(`${fileLabel(filename)}:${start.line}:${start.column}`);
  }
  const context = diagnostic.snippet?.context;
  if (context !== undefined && context !== null && context !== "") where.push(`in ${context}`);
  if (diagnostic.address !== undefined) where.push(diagnostic.address);
  return [
    `${diagnostic.severity}: ${diagnostic.summary}`,
    detail === "" ? "" : `: ${detail}`,
    where.length === 0 ? "" : ` (${where.join(", ")})`,
  ].join("");
}

/**
 * Diagnostics the suite's own set-up causes, never the product: each is
 * dropped only where that set-up applies, with the reason.
 */
interface HarnessArtefact {
  readonly summary: string;
  /** Where the warning points, when it must point there (the block in the stack's JSON). */
  readonly context?: string;
  readonly when: "always" | "child-module";
  readonly why: string;
}

export const HARNESS_ARTEFACTS: readonly HarnessArtefact[] = [
  {
    summary: "Incomplete lock file information for providers",
    when: "always",
    why: "a filesystem mirror cannot give the registry's signed checksums, so init records only the local one",
  },
  {
    summary: "Backend configuration ignored",
    context: "terraform.backend",
    when: "child-module",
    why: "the suite calls the stack as a child module; as the root module cdktf runs it as, the backend applies",
  },
];

function isArtefact(diagnostic: Diagnostic, asChildModule: boolean): boolean {
  return HARNESS_ARTEFACTS.some(
    (artefact) =>
      artefact.summary === diagnostic.summary &&
      diagnostic.severity === "warning" &&
      (artefact.context === undefined || artefact.context === diagnostic.snippet?.context) &&
      (artefact.when === "always" || asChildModule),
  );
}

/** A stack folder the app wrote: `<case>/cdktf.out/stacks/<stack>`. */
export interface StackDir {
  /** The case (config) it was synthesized from. */
  readonly caseId: string;
  /** "bucket-owner" or "accessor". */
  readonly stackId: string;
  /** Absolute path of the folder holding cdk.tf.json. */
  readonly dir: string;
}

/** `<case>/<stack>`, how results and failures name a stack. */
export function stackLabel(stack: Pick<StackDir, "caseId" | "stackId">): string {
  return `${stack.caseId}/${stack.stackId}`;
}

/** What Terraform said about one stack. */
export interface StackResult {
  readonly stack: StackDir;
  /** Every error and warning, harness artefacts removed, formatted one per line. */
  readonly diagnostics: readonly string[];
}

/**
 * Synthesizes every stack of `config` (the owner's, one per consumer) the way main.ts does (synthSafely: a
 * staging folder, error annotations stop the synth, then the publish to
 * `<caseDir>/cdktf.out`), with `caseDir` as the project root, so local state
 * paths point into the case folder. Throws with the problem lines on failure.
 * With a toolchain, cdktf's `terraform version` checks get the shim's answer.
 */
export async function synthToDisk(
  caseId: string,
  config: CrossAccountConfig,
  caseDir: string,
  toolchain?: Pick<Toolchain, "versionShimDir">,
): Promise<StackDir[]> {
  mkdirSync(caseDir, { recursive: true });
  const outdir = path.join(caseDir, "cdktf.out");
  const searchPath = process.env.PATH;
  if (toolchain?.versionShimDir !== undefined) {
    process.env.PATH = [toolchain.versionShimDir, searchPath].join(path.delimiter);
  }
  let result: { ok: boolean; lines: string[] };
  try {
    result = await synthSafely(
      (staging) => {
        const app = new App({ outdir: staging });
        addStacks(app, config, { projectRoot: caseDir });
        return app;
      },
      outdir,
      { cwd: caseDir },
    );
  } finally {
    if (searchPath === undefined) delete process.env.PATH;
    else process.env.PATH = searchPath;
  }
  if (!result.ok) throw new Error(`${caseId} did not synthesize:\n${result.lines.join("\n")}`);
  return appStackIds(config).map((stackId) => ({
    caseId,
    stackId,
    dir: path.join(outdir, "stacks", stackId),
  }));
}

/** File name of the suite's provider-version override in each stack folder. */
export const PROVIDER_VERSION_OVERRIDE = "provider_version_override.tf.json";

interface StackJson {
  readonly terraform?: { readonly required_providers?: Record<string, { source?: string; version?: string }> };
}

/**
 * The hashicorp/aws version the stack's init will install: the version the
 * stack pins when the mirror holds it; otherwise the mirror's newest, written
 * as an override file (Terraform merges `*_override.tf.json` over the stack's
 * own required_providers), so no registry is needed. Returns the version.
 */
export function pinMirroredProvider(stack: StackDir, toolchain: Toolchain): string {
  const json = JSON.parse(readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8")) as StackJson;
  const pinned = json.terraform?.required_providers?.aws?.version;
  if (pinned !== undefined && toolchain.providerVersions.includes(pinned)) return pinned;
  const version = toolchain.providerVersions[0]!;
  writeFileSync(
    path.join(stack.dir, PROVIDER_VERSION_OVERRIDE),
    `${JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } } }, null, 2)}\n`,
  );
  return version;
}

/** A file name in a diagnostic, relative to `cwd`, as `<case>/<stack>/<file>` when it lies in a known stack. */
function labelFile(cwd: string, stacks: readonly StackDir[]): (filename: string) => string {
  return (filename) => {
    const absolute = path.resolve(cwd, filename);
    const stack = stacks.find((s) => absolute.startsWith(s.dir + path.sep));
    return stack === undefined ? filename : `${stackLabel(stack)}/${path.relative(stack.dir, absolute)}`;
  };
}

/** The stack a diagnostic's file lies in, if any. */
function stackOf(cwd: string, stacks: readonly StackDir[], diagnostic: Diagnostic): StackDir | undefined {
  if (diagnostic.range === undefined) return undefined;
  const absolute = path.resolve(cwd, diagnostic.range.filename);
  return stacks.find((s) => absolute.startsWith(s.dir + path.sep));
}

/**
 * `terraform init` and `validate -json` in the stack folder itself, as cdktf
 * runs them: the stack is the root module. `backend` says whether init
 * configures the backend (possible offline for the local backend only).
 */
export async function validateAsRoot(
  toolchain: Toolchain,
  stack: StackDir,
  options: { readonly backend: boolean },
): Promise<StackResult> {
  const label = labelFile(stack.dir, [stack]);
  const keep = (diagnostics: Diagnostic[]) =>
    diagnostics.filter((d) => !isArtefact(d, false)).map((d) => formatDiagnostic(d, label));
  const init = await terraform(toolchain, stack.dir, [
    "init",
    "-json",
    "-input=false",
    ...(options.backend ? [] : ["-backend=false"]),
  ]);
  const initDiagnostics = streamDiagnostics(init.stdout);
  if (init.code !== 0) {
    const found = keep(initDiagnostics);
    return { stack, diagnostics: found.length > 0 ? found : [`error: terraform init failed: ${init.stderr.trim()}`] };
  }
  const validate = await terraform(toolchain, stack.dir, ["validate", "-json"]);
  return { stack, diagnostics: [...keep(initDiagnostics), ...keep(validateDiagnostics(validate.stdout))] };
}

/** What one combined run found, and which stacks it had to set aside. */
export interface CombinedValidation {
  /** Per stack: its diagnostics (an empty list means Terraform found nothing). */
  readonly results: readonly StackResult[];
  /** How many times init + validate ran (one, plus one per round that set failing stacks aside). */
  readonly rounds: number;
  /** Whether validate attached to one shared provider process (see startSharedProvider). */
  readonly sharedProvider: boolean;
}

/** A local module source: Terraform reads a path as local only when it starts with "./" or "../". */
function localModuleSource(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join("/");
  return relative.startsWith("../") ? relative : `./${relative}`;
}

/** A module name Terraform accepts (letters, digits, underscores, hyphens; not starting with a digit). */
function moduleName(stack: StackDir): string {
  return `m_${stackLabel(stack).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** A provider plugin process that Terraform attaches to (TF_REATTACH_PROVIDERS) instead of starting its own. */
export interface SharedProvider {
  /** The value of TF_REATTACH_PROVIDERS. */
  readonly reattach: string;
  /** Ends the process. */
  readonly stop: () => void;
}

/**
 * Starts the installed hashicorp/aws plugin in its debug mode, which serves
 * any number of Terraform clients and prints the TF_REATTACH_PROVIDERS value
 * that points Terraform at it. Terraform otherwise starts one ~700 MB plugin
 * process per provider configuration (~1 s of CPU each here), which is most
 * of the cost of validating many stacks. Resolves to undefined when the
 * plugin does not start in debug mode, so callers fall back to Terraform's own.
 */
export function startSharedProvider(pluginBinary: string, env: NodeJS.ProcessEnv): Promise<SharedProvider | undefined> {
  return new Promise((resolve) => {
    const child = spawn(pluginBinary, ["-debug"], { env, stdio: ["ignore", "pipe", "ignore"] });
    let output: string | undefined = "";
    const fail = () => {
      clearTimeout(timer);
      child.kill();
      resolve(undefined);
    };
    const timer = setTimeout(fail, 120_000);
    child.on("error", fail);
    child.on("exit", fail);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (output === undefined) return;
      output += chunk;
      const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output)?.[1];
      if (reattach === undefined) return;
      output = undefined;
      clearTimeout(timer);
      child.removeListener("exit", fail);
      resolve({ reattach, stop: () => child.kill() });
    });
  });
}

/** The hashicorp/aws plugin binary `terraform init` installed for the working directory `dir`. */
function installedProviderBinary(dir: string): string | undefined {
  const providerDir = path.join(dir, ".terraform", "providers", PROVIDER_HOST_PATH);
  if (!existsSync(providerDir)) return undefined;
  for (const version of readdirSync(providerDir)) {
    const platformDir = path.join(providerDir, version, terraformPlatform());
    const binary = readdirSync(platformDir).find((file) => file.startsWith("terraform-provider-aws"));
    if (binary !== undefined) return path.join(platformDir, binary);
  }
  return undefined;
}

/**
 * Validates many stacks in one Terraform run, each as a child module of a
 * generated root in `rootDir`, so the provider schema loads once. Each module
 * keeps its own provider block, so Terraform validates every stack's provider
 * configuration; with `shareProvider`, all of them are served by one plugin
 * process (validate never configures a provider, so nothing is shared between
 * them but the plugin's code). A configuration error in one module stops
 * Terraform from walking any of them, so stacks with errors are recorded and
 * set aside, and the rest validated again until a round has no errors: every
 * stack reported clean was walked by a validate that completed.
 */
export async function validateAsChildModules(
  toolchain: Toolchain,
  stacks: readonly StackDir[],
  rootDir: string,
  options: { readonly shareProvider: boolean } = { shareProvider: true },
): Promise<CombinedValidation> {
  mkdirSync(rootDir, { recursive: true });
  const label = labelFile(rootDir, stacks);
  const found = new Map<StackDir, Set<string>>(stacks.map((stack) => [stack, new Set()]));
  let remaining = [...stacks];
  let rounds = 0;
  let shared: SharedProvider | undefined;
  try {
    while (remaining.length > 0) {
      rounds++;
      const modules = Object.fromEntries(
        remaining.map((stack) => [moduleName(stack), { source: localModuleSource(rootDir, stack.dir) }]),
      );
      writeFileSync(path.join(rootDir, "main.tf.json"), `${JSON.stringify({ module: modules }, null, 2)}\n`);
      const init = await terraform(toolchain, rootDir, ["init", "-json", "-input=false", "-backend=false"]);
      const diagnostics = [...streamDiagnostics(init.stdout)];
      if (init.code === 0) {
        const binary = installedProviderBinary(rootDir);
        if (options.shareProvider && shared === undefined && binary !== undefined) {
          shared = await startSharedProvider(binary, toolchain.env);
        }
        const reattach = shared === undefined ? {} : { TF_REATTACH_PROVIDERS: shared.reattach };
        const validate = await terraform(toolchain, rootDir, ["validate", "-json"], reattach);
        diagnostics.push(...validateDiagnostics(validate.stdout));
      }
      const failed = new Set<StackDir>();
      for (const diagnostic of diagnostics) {
        if (isArtefact(diagnostic, true)) continue;
        const stack = stackOf(rootDir, remaining, diagnostic);
        if (stack === undefined) {
          // init's closing "Terraform encountered problems during initialisation" names no file: the
          // errors it sums up are attributed one by one.
          if (diagnostic.summary.startsWith("Terraform encountered problems during initiali")) continue;
          throw new Error(`Terraform reported a problem no stack holds:\n${formatDiagnostic(diagnostic, label)}`);
        }
        found.get(stack)!.add(formatDiagnostic(diagnostic, label));
        if (diagnostic.severity === "error") failed.add(stack);
      }
      if (failed.size === 0) {
        if (init.code !== 0) throw new Error(`terraform init failed with no diagnostics:\n${init.stderr}`);
        break;
      }
      remaining = remaining.filter((stack) => !failed.has(stack));
    }
  } finally {
    shared?.stop();
  }
  return {
    results: stacks.map((stack) => ({ stack, diagnostics: [...found.get(stack)!] })),
    rounds,
    sharedProvider: shared !== undefined,
  };
}

/** Runs `tasks` with at most `limit` running at a time; results in task order. */
export async function inParallel<T>(limit: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * Where an offline `terraform init` of a remote backend has to stop: the first
 * step that needs the network or credentials. Everything Terraform checks
 * before it (the backend block's arguments, deprecated parameters, the
 * configuration itself) has been checked when init stops there.
 */
const OFFLINE_BOUNDARY: Readonly<Record<"s3" | "cloud", (diagnostic: Diagnostic) => boolean>> = {
  // The S3 backend validates its arguments, then resolves credentials (none here: no AWS_* variables, no
  // shared config files, no instance metadata).
  s3: (d) =>
    d.summary === "No valid credential sources found" || d.summary.startsWith("failed to get shared config profile"),
  // The cloud block's arguments are validated before service discovery asks the host for its API.
  cloud: (d) =>
    d.summary.startsWith("Failed to request discovery document") || d.summary === "Required token could not be found",
};

/** What an offline init of a remote backend found. */
export interface BackendCheck extends StackResult {
  /** The error init stopped at, when it was the expected offline boundary. */
  readonly stoppedAt?: string;
  /** Init finished (only possible with network and credentials). */
  readonly completed: boolean;
}

/**
 * `terraform init` with the stack's own S3 or cloud backend, in the stack
 * folder, with no credentials and no network: init checks the backend block
 * (arguments, deprecations) before it needs either, so every diagnostic before
 * the offline boundary is the product's.
 */
export async function checkBackendOffline(
  toolchain: Toolchain,
  stack: StackDir,
  backend: "s3" | "cloud",
): Promise<BackendCheck> {
  const label = labelFile(stack.dir, [stack]);
  const init = await terraform(toolchain, stack.dir, ["init", "-json", "-input=false"]);
  const diagnostics = streamDiagnostics(init.stdout).filter((d) => !isArtefact(d, false));
  const boundary = diagnostics.find((d) => d.severity === "error" && OFFLINE_BOUNDARY[backend](d));
  const others = diagnostics.filter(
    (d) => d !== boundary && !d.summary.startsWith("Terraform encountered problems during initiali"),
  );
  return {
    stack,
    diagnostics: others.map((d) => formatDiagnostic(d, label)),
    stoppedAt: boundary === undefined ? undefined : formatDiagnostic(boundary, label),
    completed: init.code === 0,
  };
}

/** A copy of a stack folder at `<into>/<case>/<stack>`, for commands that write into the folder they run in. */
export function copyStack(stack: StackDir, into: string): StackDir {
  const dir = path.join(into, stack.caseId, stack.stackId);
  cpSync(stack.dir, dir, { recursive: true });
  return { ...stack, dir };
}
