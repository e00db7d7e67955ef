/**
 * Timing through existing tools: hyperfine measures wall time, GNU time
 * (`/usr/bin/time -f %M`) the peak resident set size. Commands are measured in
 * rounds, one run of each command per round, so a burst of load on this shared
 * machine hits every command rather than one; the order flips every round.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";

export const GNU_TIME = "/usr/bin/time";

/** A command to measure: a shell command line run in `cwd`. */
export interface BenchCommand {
  /** Short label, e.g. "app only, project". */
  readonly name: string;
  /** Folder the command runs in. */
  readonly cwd: string;
  /** Shell command line. */
  readonly command: string;
  /** Extra environment, e.g. CDKTF_OUTDIR. */
  readonly env?: Readonly<Record<string, string>>;
}

/** All runs of one command. */
export interface Samples {
  readonly name: string;
  /** Wall time of each run, in seconds (hyperfine). */
  readonly seconds: readonly number[];
  /**
   * CPU time (user + system) of each run's process tree, in seconds (hyperfine): what the run costs
   * whatever else loads the machine. On an idle machine a run that uses one core takes about this long.
   */
  readonly cpuSeconds: readonly number[];
  /** Peak RSS of each run, in kibibytes (GNU time's %M: the largest process of the run's tree). */
  readonly maxRssKib: readonly number[];
  /** Exit codes of the runs that failed (only with `ignoreFailure`). */
  readonly failedExitCodes: readonly number[];
}

/** Quotes a string for POSIX sh. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Checks that hyperfine and GNU time are installed; returns problem lines with the fix. */
export function missingTools(): string[] {
  const problems: string[] = [];
  const hyperfine = spawnSync("hyperfine", ["--version"], { encoding: "utf8" });
  if (hyperfine.error !== undefined || hyperfine.status !== 0) {
    problems.push(
      "hyperfine is not installed: install it with `sudo apt-get update && sudo apt-get install -y hyperfine` " +
        "(Debian/Ubuntu; other systems: https://github.com/sharkdp/hyperfine#installation)",
    );
  }
  const time = spawnSync(GNU_TIME, ["-f", "%M", "true"], { encoding: "utf8" });
  if (time.error !== undefined || time.status !== 0 || !/^\d+\s*$/.test(time.stderr)) {
    problems.push(
      `GNU time is not at ${GNU_TIME}: install it with \`sudo apt-get update && sudo apt-get install -y time\` ` +
        "(the shell's `time` keyword does not report peak memory)",
    );
  }
  return problems;
}

/** hyperfine's version line, e.g. "hyperfine 1.15.0". */
export function hyperfineVersion(): string {
  return spawnSync("hyperfine", ["--version"], { encoding: "utf8" }).stdout.trim();
}

interface HyperfineExport {
  readonly results: readonly {
    readonly command: string;
    readonly times?: readonly number[];
    /** Mean user and system time; with one run per export, that run's. */
    readonly user?: number;
    readonly system?: number;
    readonly exit_codes?: readonly (number | null)[];
  }[];
}

function wrapped(command: BenchCommand, rssFile: string): string {
  const env = Object.entries(command.env ?? {})
    .map(([key, value]) => `${key}=${shellQuote(value)} `)
    .join("");
  const inner = `cd ${shellQuote(command.cwd)} && ${env}${command.command}`;
  return `${GNU_TIME} -f %M -a -o ${shellQuote(rssFile)} sh -c ${shellQuote(inner)}`;
}

/**
 * Runs `rounds` rounds; in each, every command once under hyperfine (wall time)
 * wrapped in GNU time (peak RSS). Throws with the failing command when a run
 * fails, unless `ignoreFailure` (then failed runs are timed and counted).
 */
export function measureInRounds(
  commands: readonly BenchCommand[],
  rounds: number,
  scratch: string,
  options: { readonly onRound?: (round: number) => void; readonly ignoreFailure?: boolean } = {},
): Samples[] {
  const seconds = commands.map((): number[] => []);
  const cpuSeconds = commands.map((): number[] => []);
  const failures = commands.map((): number[] => []);
  const rssFiles = commands.map((_, i) => path.join(scratch, `rss-${i}.txt`));
  rssFiles.forEach((file) => rmSync(file, { force: true }));
  const exportFile = path.join(scratch, "hyperfine.json");
  for (let round = 0; round < rounds; round += 1) {
    options.onRound?.(round);
    const order = commands.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    const args = ["--runs", "1", "--style", "none", "--export-json", exportFile];
    if (options.ignoreFailure === true) args.push("--ignore-failure");
    for (const i of order) {
      const command = commands[i] as BenchCommand;
      args.push("--command-name", command.name, wrapped(command, rssFiles[i] as string));
    }
    const run = spawnSync("hyperfine", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (run.status !== 0) {
      const lines = commands.map((c) => `  (cd ${shellQuote(c.cwd)} && ${c.command})`).join("\n");
      throw new Error(
        `a timed run failed:\n${(run.stderr || run.stdout).trim()}\nrun the commands by hand to see why:\n${lines}`,
      );
    }
    const exported = JSON.parse(readFileSync(exportFile, "utf8")) as HyperfineExport;
    exported.results.forEach((result, position) => {
      const i = order[position] as number;
      (seconds[i] as number[]).push(...(result.times ?? []));
      if (result.user !== undefined && result.system !== undefined) {
        (cpuSeconds[i] as number[]).push(result.user + result.system);
      }
      const failed = (result.exit_codes ?? []).filter((code) => code !== 0).map((code) => code ?? -1);
      (failures[i] as number[]).push(...failed);
    });
  }
  return commands.map((command, i) => {
    const rssFile = rssFiles[i] as string;
    const maxRssKib = existsSync(rssFile)
      ? readFileSync(rssFile, "utf8")
          .split("\n")
          .map((line) => Number.parseInt(line, 10))
          .filter((value) => Number.isFinite(value))
      : [];
    return {
      name: command.name,
      seconds: seconds[i] as number[],
      cpuSeconds: cpuSeconds[i] as number[],
      maxRssKib,
      failedExitCodes: failures[i] as number[],
    };
  });
}

/** Smallest value. */
export function best(values: readonly number[]): number {
  return Math.min(...values);
}

/** Median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Kibibytes (GNU time's unit) to megabytes (10^6 bytes), the unit of the targets. */
export function kibToMb(kib: number): number {
  return (kib * 1024) / 1e6;
}
