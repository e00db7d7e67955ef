/**
 * `npm run bench -- --scale`: how does one bucket with many consumers scale?
 * For 1, 10, 50 and 100 consumers (configs generated here, in the `accessors`
 * form, SSE-KMS, the three levels in turn, one prefix each), side by side:
 * the app's synth time (app only, hyperfine) and peak memory (GNU time), the
 * size of the output, the largest policy of each kind as AWS counts it
 * (against its limit, policy-rules/rules/aws-policy-size-limits.ts), and the
 * access report's time and peak memory; then how each cost grows with the
 * number of consumers (the exponent k of t ∝ n^k between 10 and 100
 * consumers, and a straight-line fit t = a + b·n).
 *
 * Targets: 100 consumers synthesize in at most 10 s (app only) with every
 * policy within its limit, and their access report completes in at most 30 s.
 */
import { readdirSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { REPORT_COMMAND } from "./access-report-bench";
import { best, kibToMb, measureInRounds, median, shellQuote, type BenchCommand } from "./measure";
import { buildAccessModel } from "../access-report/access-model";
import { readSynthOutput } from "../access-report/synth-output";
import type { PolicyJson } from "../access-report/policy-json";
import {
  iamCharacters,
  IAM_ROLE_INLINE_POLICIES_CHARACTERS,
  KMS_KEY_POLICY_BYTES,
  S3_ACCESS_POINT_POLICY_BYTES,
  S3_BUCKET_POLICY_BYTES,
  utf8Bytes,
} from "../policy-rules/rules/aws-policy-size-limits";
import { DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA } from "../config/defaults";

/** The numbers of consumers measured. */
export const SCALE_CONSUMERS = [1, 10, 50, 100] as const;

export const SCALE_TARGETS = { synthSeconds: 10, reportSeconds: 30, atConsumers: 100 } as const;

const APP_COMMAND = "node -r ./loader/sucrase-cached-register.js main.ts";
const LEVELS = ["read-only", "read-write", "full"] as const;

/** A config with `count` consumers of one bucket, each in its own account, on its own prefix. */
export function scaleConfig(count: number): Record<string, unknown> {
  return {
    bucketOwner: { accountId: "111122223333", region: "eu-west-1" },
    bucket: { name: "scale-bench-lake-111122223333", encryption: "SSE-KMS" },
    tags: { purpose: "scale-bench" },
    accessors: Array.from({ length: count }, (_unused, index) => {
      const number = String(index + 1).padStart(3, "0");
      return {
        name: `consumer-${number}`,
        accountId: String(200_000_000_000 + (index + 1) * 1_011),
        region: "eu-west-1",
        targetRoleName: `lake-consumer-${number}`,
        instanceRoleName: `consumer-${number}-instance`,
        accessLevel: LEVELS[index % LEVELS.length],
        keyPrefix: `consumers/${number}/`,
      };
    }),
  };
}

/** A policy kind, its largest instance and AWS's limit, in the unit AWS counts. */
interface PolicySize {
  readonly kind: string;
  readonly largest: number;
  readonly limit: number;
  readonly unit: "characters" | "bytes";
}

const text = (document: PolicyJson): string => JSON.stringify(document);

/** The largest policy of each kind in a synth output, with references resolved as the access report resolves them. */
export function largestPolicies(outdir: string): PolicySize[] {
  const model = buildAccessModel(readSynthOutput(outdir));
  const max = (values: readonly number[]): number => values.reduce((a, b) => Math.max(a, b), 0);
  return [
    {
      kind: "trust",
      largest: max(model.roles.flatMap((r) => (r.trustPolicy ? [iamCharacters(text(r.trustPolicy.document))] : []))),
      limit: DEFAULT_ROLE_TRUST_POLICY_LENGTH_QUOTA,
      unit: "characters",
    },
    {
      kind: "identity (a role's together)",
      largest: max(
        model.roles.map((r) => r.identityPolicies.reduce((sum, p) => sum + iamCharacters(text(p.document)), 0)),
      ),
      limit: IAM_ROLE_INLINE_POLICIES_CHARACTERS,
      unit: "characters",
    },
    {
      kind: "access point",
      largest: max(model.accessPoints.flatMap((p) => (p.policy ? [utf8Bytes(text(p.policy.document))] : []))),
      limit: S3_ACCESS_POINT_POLICY_BYTES,
      unit: "bytes",
    },
    {
      kind: "bucket",
      largest: max(model.buckets.flatMap((b) => (b.policy ? [utf8Bytes(text(b.policy.document))] : []))),
      limit: S3_BUCKET_POLICY_BYTES,
      unit: "bytes",
    },
    {
      kind: "key",
      largest: max(model.kmsKeys.flatMap((k) => (k.policy ? [utf8Bytes(text(k.policy.document))] : []))),
      limit: KMS_KEY_POLICY_BYTES,
      unit: "bytes",
    },
  ];
}

function folderBytes(folder: string): number {
  return readdirSync(folder).reduce((sum, entry) => {
    const file = path.join(folder, entry);
    const stat = statSync(file);
    return sum + (stat.isDirectory() ? folderBytes(file) : stat.size);
  }, 0);
}

/** t ∝ n^k between two sizes. */
function exponent(small: { n: number; t: number }, large: { n: number; t: number }): number {
  return Math.log(large.t / small.t) / Math.log(large.n / small.n);
}

/** Least squares t = a + b·n. */
function linearFit(points: readonly { n: number; t: number }[]): { a: number; b: number } {
  const count = points.length;
  const meanN = points.reduce((s, p) => s + p.n, 0) / count;
  const meanT = points.reduce((s, p) => s + p.t, 0) / count;
  const b =
    points.reduce((s, p) => s + (p.n - meanN) * (p.t - meanT), 0) / points.reduce((s, p) => s + (p.n - meanN) ** 2, 0);
  return { a: meanT - b * meanN, b };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

/** Measures every size; logs the table, the growth and the verdict; returns whether the targets were met. */
export function scaleBench(
  projectRoot: string,
  rounds: number,
  scratch: string,
  log: (line?: string) => void,
): boolean {
  const root = path.join(scratch, "scale");
  mkdirSync(root, { recursive: true });
  const sizes = SCALE_CONSUMERS.map((count) => {
    const folder = path.join(root, `consumers-${count}`);
    mkdirSync(folder, { recursive: true });
    const config = path.join(folder, "config.json");
    writeFileSync(config, `${JSON.stringify(scaleConfig(count), null, 2)}\n`);
    // One untimed synth: the output the sizes and the report are measured on.
    const outdir = path.join(folder, "cdktf.out");
    const synth = spawnSync("sh", ["-c", APP_COMMAND], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir, CROSS_ACCOUNT_CONFIG: config },
    });
    if (synth.status !== 0) throw new Error(`synthesizing ${count} consumers failed:\n${synth.stderr}${synth.stdout}`);
    return { count, folder, config, outdir };
  });
  const synthCommands: BenchCommand[] = sizes.map(({ count, folder, config }) => ({
    name: `synth, ${count} consumer(s)`,
    cwd: projectRoot,
    command: APP_COMMAND,
    env: { CROSS_ACCOUNT_CONFIG: config, CDKTF_OUTDIR: path.join(folder, "timed.out") },
  }));
  const reportCommands: BenchCommand[] = sizes.map(({ count, outdir }) => ({
    name: `access report, ${count} consumer(s)`,
    cwd: projectRoot,
    command: `${REPORT_COMMAND} ${shellQuote(outdir)}`,
  }));
  log(`scale: ${rounds} rounds of ${SCALE_CONSUMERS.join(", ")} consumers (configs in ${root}); each runs, in turn:`);
  [...synthCommands, ...reportCommands].forEach((c) =>
    log(
      `  ${c.name.padEnd(34)} (cd ${c.cwd} && ${Object.entries(c.env ?? {})
        .map(([k, v]) => `${k}=${shellQuote(v)} `)
        .join("")}${c.command})`,
    ),
  );
  const synthSamples = measureInRounds(synthCommands, rounds, scratch, {
    onRound: (round) => log(`  synth round ${round + 1}/${rounds} ...`),
  });
  const reportSamples = measureInRounds(reportCommands, rounds, scratch, {
    onRound: (round) => log(`  report round ${round + 1}/${rounds} ...`),
  });

  const rows = sizes.map((size, index) => {
    const synth = synthSamples[index];
    const report = reportSamples[index];
    if (synth === undefined || report === undefined) throw new Error(`no samples for ${size.count} consumer(s)`);
    return {
      ...size,
      synthBest: best(synth.seconds),
      synthMedian: median(synth.seconds),
      synthPeak: kibToMb(Math.max(...synth.maxRssKib)),
      reportBest: best(report.seconds),
      reportMedian: median(report.seconds),
      reportPeak: kibToMb(Math.max(...report.maxRssKib)),
      outputBytes: folderBytes(size.outdir),
      policies: largestPolicies(size.outdir),
    };
  });

  log();
  log(
    "  consumers  synth best/median  synth peak  output    trust      identity/role  access point  bucket    key       report best/median  report peak",
  );
  for (const row of rows) {
    const policy = (kind: string): string => {
      const found = row.policies.find((p) => p.kind.startsWith(kind));
      return found === undefined ? "-" : `${found.largest}${found.unit === "bytes" ? " B" : " ch"}`;
    };
    log(
      `  ${String(row.count).padStart(9)}  ${`${row.synthBest.toFixed(2)} / ${row.synthMedian.toFixed(2)} s`.padEnd(17)}  ` +
        `${`${row.synthPeak.toFixed(0)} MB`.padEnd(10)}  ${kb(row.outputBytes).padEnd(8)}  ${policy("trust").padEnd(9)}  ` +
        `${policy("identity").padEnd(13)}  ${policy("access point").padEnd(12)}  ${policy("bucket").padEnd(8)}  ` +
        `${policy("key").padEnd(8)}  ${`${row.reportBest.toFixed(2)} / ${row.reportMedian.toFixed(2)} s`.padEnd(18)}  ` +
        `${row.reportPeak.toFixed(0)} MB`,
    );
  }
  const limits = rows[0]?.policies.map((p) => `${p.kind} ${p.limit.toLocaleString("en-US")} ${p.unit}`) ?? [];
  log(`  limits: ${limits.join("; ")}`);

  log();
  log("growth with the number of consumers n (best times):");
  const growth = (label: string, pick: (row: (typeof rows)[number]) => number, unit: string): void => {
    const points = rows.map((row) => ({ n: row.count, t: pick(row) }));
    const ten = points.find((p) => p.n === 10);
    const hundred = points.find((p) => p.n === 100);
    const fit = linearFit(points);
    const k = ten !== undefined && hundred !== undefined ? exponent(ten, hundred).toFixed(2) : "?";
    log(
      `  ${label.padEnd(22)} ${points.map((p) => `n=${p.n}: ${p.t.toFixed(2)}${unit}`).join(", ")}; ` +
        `∝ n^${k} from 10 to 100; fit ${fit.a.toFixed(2)} + ${fit.b.toFixed(4)}·n ${unit.trim()}`,
    );
  };
  growth("synth (app only)", (row) => row.synthBest, " s");
  growth("synth peak memory", (row) => row.synthPeak, " MB");
  growth("output size", (row) => row.outputBytes / 1024, " KB");
  growth("access report", (row) => row.reportBest, " s");

  const atTarget = rows.find((row) => row.count === SCALE_TARGETS.atConsumers);
  const within = rows.every((row) => row.policies.every((p) => p.largest <= p.limit));
  const synthMet = atTarget !== undefined && atTarget.synthBest <= SCALE_TARGETS.synthSeconds;
  const reportMet = atTarget !== undefined && atTarget.reportBest <= SCALE_TARGETS.reportSeconds;
  const verdict = (met: boolean): string => (met ? "met" : "MISSED");
  log();
  log("targets, best-of-N wall time:");
  log(
    `  synth of ${SCALE_TARGETS.atConsumers} consumers: ${atTarget?.synthBest.toFixed(2) ?? "?"} s ≤ ${SCALE_TARGETS.synthSeconds} s: ${verdict(synthMet)}`,
  );
  log(`  every policy within its limit at every size: ${verdict(within)}`);
  log(
    `  access report of ${SCALE_TARGETS.atConsumers} consumers: ${atTarget?.reportBest.toFixed(2) ?? "?"} s ≤ ${SCALE_TARGETS.reportSeconds} s: ${verdict(reportMet)}`,
  );
  return synthMet && within && reportMet;
}
