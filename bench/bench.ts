/**
 * `npm run bench`: how fast does this project synthesize, through `npm run synth`
 * (the app in-process, no CLI) and through `npx cdktf synth`, against the cdktf
 * TypeScript template's shape of the same app?
 *
 *   npm run bench                     app only, full `cdktf synth` (template copy vs project) and `npm run synth`
 *   npm run bench -- --runs 3         fewer rounds (default 5)
 *   npm run bench -- --jest           `npm test` with a cold jest cache instead (default 3 rounds)
 *   npm run bench -- --jest --system  and `npm run test:system` too (minutes per round)
 *   npm run bench -- --access-report  only `npm run access-report` on synth outputs of the examples
 *   npm run bench -- --scale          one bucket, 1 to 100 consumers: synth, policy sizes, report (scale-bench.ts)
 *   npm run bench -- --keep           keep the scratch folder (template copy, outputs)
 *   npm run bench -- --project DIR    measure another checkout (its node_modules are used)
 *   npm run bench -- --candidate-app "node -r ./x.js main.ts"
 *                                     also time another app command for the project (app only and
 *                                     `cdktf synth --app`), checked to write the same output
 *
 * Exits 1 when a target is missed or when the template copy does not
 * synthesize exactly what the project does.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  BenchCommand,
  best,
  hyperfineVersion,
  kibToMb,
  measureInRounds,
  median,
  missingTools,
  Samples,
  shellQuote,
} from "./measure";
import { accessReportBench } from "./access-report-bench";
import { scaleBench } from "./scale-bench";
import {
  appCommand,
  copyProject,
  installedNamespaces,
  makeTemplateShaped,
  TEMPLATE_APP_COMMAND,
} from "./template-copy";

/** The project's speed targets. */
export const TARGETS = {
  /** The app alone (node + loader + main.ts), best wall time. */
  appSeconds: 0.6,
  appMegabytes: 120,
  /** `npx cdktf synth` of the project against the template's. */
  synthRatio: 0.3,
  /** `npm run synth` for the default config, best wall time. */
  npmSynthSeconds: 1.0,
  /** `npm test`, cold jest cache. */
  testSeconds: 30,
} as const;

const USAGE = `usage: npm run bench -- [--runs N] [--jest [--system] | --access-report | --scale] [--keep] [--project DIR] [--candidate-app COMMAND]`;

function log(line = ""): void {
  process.stdout.write(line + "\n");
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, " ").trim() ?? "unknown CPU";
  return `${cpus.length} cores (${model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

/** Every file of a folder, relative, sorted. */
function filesOf(root: string, folder = root): string[] {
  return readdirSync(folder)
    .flatMap((entry) => {
      const file = path.join(folder, entry);
      return statSync(file).isDirectory() ? filesOf(root, file) : [path.relative(root, file)];
    })
    .sort();
}

function stacksOf(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks?: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks ?? {}).sort();
}

/** Runs a command once, untimed; throws with its output when it fails. */
function runOnce(command: BenchCommand): void {
  const run = spawnSync("sh", ["-c", command.command], {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    encoding: "utf8",
  });
  if (run.status !== 0) {
    throw new Error(
      `${command.name} failed (exit ${run.status ?? run.signal}): (cd ${shellQuote(command.cwd)} && ${command.command})\n` +
        `${run.stderr}${run.stdout}`.trim(),
    );
  }
}

/**
 * Synthesizes a verbatim copy and the template copy side by side (same depth,
 * so the relative state paths match) and requires byte-identical output.
 */
function checkSameSynth(verbatim: string, template: string): string[] {
  const outputs = [
    { name: "verbatim copy (project's app command)", cwd: verbatim, command: appCommand(verbatim) },
    { name: "template copy (npx ts-node main.ts)", cwd: template, command: TEMPLATE_APP_COMMAND },
  ];
  for (const output of outputs) runOnce({ ...output, env: { CDKTF_OUTDIR: "cdktf.out" } });
  const [ours, theirs] = outputs.map(({ cwd }) => path.join(cwd, "cdktf.out")) as [string, string];
  const differing = differingFiles(ours, theirs);
  if (differing.length > 0) {
    throw new Error(
      `the template copy does not synthesize the same output as the project; differing files:\n` +
        differing.map((file) => `  ${file}`).join("\n") +
        `\ncompare ${ours} with ${theirs}`,
    );
  }
  const stacks = stacksOf(ours);
  if (stacks.length === 0) throw new Error(`${ours}/manifest.json lists no stacks`);
  return stacks;
}

function seconds(value: number): string {
  return value >= 10 ? `${value.toFixed(1)} s` : `${value.toFixed(2)} s`;
}

function row(samples: Samples): string {
  const rss = samples.maxRssKib.map(kibToMb);
  const memory = rss.length > 0 ? `${median(rss).toFixed(0)} / ${Math.max(...rss).toFixed(0)} MB` : "n/a";
  const cpu = samples.cpuSeconds.length > 0 ? seconds(median(samples.cpuSeconds)) : "n/a";
  return `${samples.name.padEnd(26)} ${seconds(best(samples.seconds)).padStart(9)} ${seconds(median(samples.seconds)).padStart(9)} ${cpu.padStart(9)}   ${memory.padStart(15)}`;
}

function table(results: readonly Samples[], rounds: number): void {
  log(`${"".padEnd(26)} ${"wall".padStart(9)} ${"wall".padStart(9)} ${"CPU".padStart(9)}   ${"peak RSS".padStart(15)}`);
  log(
    `${"".padEnd(26)} ${`best of ${rounds}`.padStart(9)} ${"median".padStart(9)} ${"median".padStart(9)}   ${"median / max".padStart(15)}`,
  );
  results.forEach((samples) => log(row(samples)));
  log("(CPU: user + system time of the run's processes, which load from other programs hardly changes)");
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

/** Byte-compares two output folders; returns the differing files. */
function differingFiles(ours: string, theirs: string): string[] {
  const ourFiles = filesOf(ours);
  const theirFiles = filesOf(theirs);
  return [...new Set([...ourFiles, ...theirFiles])].filter((file) => {
    if (!ourFiles.includes(file) || !theirFiles.includes(file)) return true;
    return !readFileSync(path.join(ours, file)).equals(readFileSync(path.join(theirs, file)));
  });
}

function targetLines(label: string, app: Samples, synth: Samples, templateSynth: Samples): boolean {
  const appTime = best(app.seconds);
  const appMemory = kibToMb(Math.max(...app.maxRssKib));
  const ratio = best(synth.seconds) / best(templateSynth.seconds);
  const appOk = appTime <= TARGETS.appSeconds;
  const memoryOk = appMemory <= TARGETS.appMegabytes;
  const ratioOk = ratio <= TARGETS.synthRatio;
  const name = label.padEnd(9);
  const pad = " ".repeat(name.length);
  log(
    `  ${name} app only:     ${seconds(appTime)} ≤ ${TARGETS.appSeconds} s: ${verdict(appOk)} (${(appTime / TARGETS.appSeconds).toFixed(2)} × target)`,
  );
  log(
    `  ${pad}               ${appMemory.toFixed(0)} MB ≤ ${TARGETS.appMegabytes} MB: ${verdict(memoryOk)} (${(appMemory / TARGETS.appMegabytes).toFixed(2)} × target)`,
  );
  log(
    `  ${name} cdktf synth:  ${seconds(best(synth.seconds))} / template ${seconds(best(templateSynth.seconds))} = ${ratio.toFixed(2)} ≤ ${TARGETS.synthRatio}: ${verdict(ratioOk)}`,
  );
  log(`  ${pad}               (CLI cost ≈ synth − app = ${seconds(best(synth.seconds) - appTime)})`);
  return appOk && memoryOk && ratioOk;
}

function synthBench(projectRoot: string, rounds: number, scratch: string, candidateApp?: string): boolean {
  const verbatim = path.join(scratch, "verbatim");
  const template = path.join(scratch, "template");
  copyProject(projectRoot, verbatim);
  copyProject(projectRoot, template);
  const shape = makeTemplateShaped(template, installedNamespaces(projectRoot));
  log(`template copy: ${template}`);
  log(`  app "${TEMPLATE_APP_COMMAND}" (type-checked), provider imports through the package index:`);
  log(`  ${shape.rewrittenFiles.length} files rewritten, namespaces ${shape.namespaces.join(", ")}`);
  log("checking that the template copy synthesizes what the project does (first, type-checked run is slow) ...");
  const stacks = checkSameSynth(verbatim, template);
  log(`  same stacks, byte-identical output: ${stacks.join(", ")}`);
  log();

  // cdktf's App creates its output folder but not the parents (mkdirSync without `recursive`).
  mkdirSync(path.join(scratch, "out"));
  const out = (name: string): string => path.join(scratch, "out", name);
  const projectApp = appCommand(projectRoot);
  const commands: BenchCommand[] = [
    { name: "app only, template", cwd: template, command: TEMPLATE_APP_COMMAND, env: { CDKTF_OUTDIR: out("t-app") } },
    { name: "app only, project", cwd: projectRoot, command: projectApp, env: { CDKTF_OUTDIR: out("p-app") } },
    { name: "cdktf synth, template", cwd: template, command: `npx cdktf synth --output ${shellQuote(out("t-synth"))}` },
    {
      name: "cdktf synth, project",
      cwd: projectRoot,
      command: `npx cdktf synth --output ${shellQuote(out("p-synth"))}`,
    },
    {
      name: "npm run synth, project",
      cwd: projectRoot,
      command: `npm run --silent synth -- --output ${shellQuote(out("n-synth"))} > /dev/null`,
    },
  ];
  if (candidateApp !== undefined) {
    const synth = `npx cdktf synth --app ${shellQuote(candidateApp)} --output ${shellQuote(out("c-synth"))}`;
    commands.push(
      { name: "app only, candidate", cwd: projectRoot, command: candidateApp, env: { CDKTF_OUTDIR: out("c-app") } },
      { name: "cdktf synth, candidate", cwd: projectRoot, command: synth },
    );
    log("running the candidate once untimed (fills any cache it keeps) ...");
    runOnce({ name: "candidate app", cwd: projectRoot, command: candidateApp, env: { CDKTF_OUTDIR: out("c-app") } });
  }
  log(`${rounds} rounds; each runs, in turn (order reversed every other round):`);
  commands.forEach((c) => log(`  ${c.name.padEnd(22)} (cd ${c.cwd} && ${c.command})`));
  const onRound = (round: number): void => log(`  round ${round + 1}/${rounds} ...`);
  const results = measureInRounds(commands, rounds, scratch, { onRound });
  log();
  const projectStacks = stacksOf(out("p-app"));
  if (projectStacks.join() !== stacks.join()) {
    throw new Error(`the project synthesized stacks ${projectStacks.join(", ")}, the copies ${stacks.join(", ")}`);
  }

  const npmDiffering = differingFiles(out("p-synth"), out("n-synth"));
  if (npmDiffering.length > 0) {
    throw new Error(`npm run synth writes different output than cdktf synth: ${npmDiffering.join(", ")}`);
  }
  log("npm run synth and cdktf synth wrote byte-identical output.");

  if (candidateApp !== undefined) {
    const differing = differingFiles(out("p-app"), out("c-app"));
    if (differing.length > 0) {
      throw new Error(`the candidate app writes different output than the project's app: ${differing.join(", ")}`);
    }
  }

  const [templateApp, ourApp, templateSynth, ourSynth, npmSynth, candidate, candidateSynth] = results as [
    Samples,
    Samples,
    Samples,
    Samples,
    Samples,
    Samples?,
    Samples?,
  ];
  table(results, rounds);
  log();
  log("targets: best-of-N wall time, worst peak RSS");
  let ok = targetLines("project", ourApp, ourSynth, templateSynth);
  const npmTime = best(npmSynth.seconds);
  const npmOk = npmTime <= TARGETS.npmSynthSeconds;
  log(
    `  project   npm run synth: ${seconds(npmTime)} ≤ ${TARGETS.npmSynthSeconds.toFixed(1)} s: ${verdict(npmOk)} (${(npmTime / best(ourSynth.seconds)).toFixed(2)} × cdktf synth; CPU ${seconds(median(npmSynth.cpuSeconds))})`,
  );
  ok = ok && npmOk;
  if (candidate !== undefined && candidateSynth !== undefined) {
    log(`  candidate (${candidateApp ?? ""}), same output as the project's app:`);
    ok = targetLines("candidate", candidate, candidateSynth, templateSynth) && ok;
  }
  log(
    `  for reference: app only, project / template = ${(best(ourApp.seconds) / best(templateApp.seconds)).toFixed(3)}`,
  );
  return ok;
}

function jestBench(projectRoot: string, rounds: number, scratch: string, system: boolean): boolean {
  const commands: BenchCommand[] = [
    { name: "tsc --noEmit", cwd: projectRoot, command: "npx tsc --noEmit" },
    { name: "jest fast suites", cwd: projectRoot, command: "npx jest --selectProjects fast --no-cache" },
    { name: "npm test -- --no-cache", cwd: projectRoot, command: "npm test -- --no-cache" },
  ];
  if (system) {
    commands.push({
      name: "npm run test:system",
      cwd: projectRoot,
      command: "npm run test:system -- --no-cache",
    });
  }
  log(`${rounds} rounds, cold jest cache (--no-cache: no transform cache read or written); each runs, in turn:`);
  commands.forEach((c) => log(`  ${c.name.padEnd(22)} (cd ${c.cwd} && ${c.command})`));
  // A failing test or type error still costs its time: measure it, and say that the tree is not green.
  const onRound = (round: number): void => log(`  round ${round + 1}/${rounds} ...`);
  const results = measureInRounds(commands, rounds, scratch, { onRound, ignoreFailure: true });
  log();
  table(results, rounds);
  log();
  const failing = results.filter((samples) => samples.failedExitCodes.length > 0);
  failing.forEach((samples) =>
    log(
      `warning: ${samples.name} failed in ${samples.failedExitCodes.length} of ${rounds} runs (exit ${samples.failedExitCodes.join(", ")})`,
    ),
  );
  const testTime = best((results[2] as Samples).seconds);
  const ok = testTime <= TARGETS.testSeconds;
  log("target, best-of-N wall time:");
  log(`  npm test, cold jest cache: ${seconds(testTime)} ≤ ${TARGETS.testSeconds} s: ${verdict(ok)}`);
  const systemSamples = results[3];
  if (systemSamples !== undefined) {
    log(
      `  (npm run test:system has no time target: ${seconds(best(systemSamples.seconds))}, CI runs it after npm test)`,
    );
  }
  return ok && failing.length === 0;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      runs: { type: "string" },
      jest: { type: "boolean", default: false },
      system: { type: "boolean", default: false },
      "access-report": { type: "boolean", default: false },
      scale: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      project: { type: "string" },
      "candidate-app": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    log(USAGE);
    return 0;
  }
  const rounds = values.runs === undefined ? (values.jest || values.scale ? 3 : 5) : Number(values.runs);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--runs: "${values.runs}" is not a whole number ≥ 1`);
  const projectRoot = path.resolve(values.project ?? path.join(__dirname, ".."));
  const missing = missingTools();
  if (missing.length > 0) throw new Error(missing.join("\n"));

  // Same environment for every command: no CLI update check, the config path made absolute.
  process.env.CHECKPOINT_DISABLE = "1";
  const config = process.env.CROSS_ACCOUNT_CONFIG;
  if (config !== undefined && config.trim() !== "") process.env.CROSS_ACCOUNT_CONFIG = path.resolve(config);

  log(`machine: ${machine()}; ${hyperfineVersion()}, GNU time`);
  log(`project: ${projectRoot}${config ? `, CROSS_ACCOUNT_CONFIG=${process.env.CROSS_ACCOUNT_CONFIG}` : ""}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "cdktf-bench-"));
  let keep = values.keep;
  try {
    let ok: boolean;
    if (values.jest) ok = jestBench(projectRoot, rounds, scratch, values.system);
    else if (values.scale) ok = scaleBench(projectRoot, rounds, scratch, log);
    else {
      ok = values["access-report"] || synthBench(projectRoot, rounds, scratch, values["candidate-app"]);
      ok = accessReportBench(projectRoot, rounds, scratch, log) && ok;
    }
    return ok ? 0 : 1;
  } catch (error) {
    keep = true;
    throw error;
  } finally {
    if (keep) log(`scratch folder kept: ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench: ${message}\n`);
  process.exitCode = 1;
}
