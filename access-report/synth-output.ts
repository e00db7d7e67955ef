/**
 * Reads a `cdktf synth` output folder: the manifest, and each stack's
 * Terraform JSON with its working directory (where terraform runs, which is
 * what relative state paths are relative to).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** Terraform blocks keyed by type, then by name: resource.aws_iam_role.target_role. */
export type BlocksByType = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;

/** The parts of a synthesized cdk.tf.json the report reads. */
export interface TerraformJson {
  readonly resource?: BlocksByType;
  readonly data?: BlocksByType;
  readonly output?: Readonly<Record<string, { readonly value?: unknown; readonly description?: string }>>;
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly variable?: Readonly<Record<string, { readonly default?: unknown }>>;
  readonly terraform?: {
    readonly backend?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly cloud?: Readonly<Record<string, unknown>>;
  };
}

/** An annotation cdktf recorded for a construct (policy rule findings among them). */
export interface SynthAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

export interface SynthStack {
  /** The stack id (`bucket-owner`, `accessor`). */
  readonly id: string;
  /** Absolute path of the folder terraform runs in for this stack. */
  readonly workingDirectory: string;
  readonly json: TerraformJson;
  readonly annotations: readonly SynthAnnotation[];
}

export interface SynthOutput {
  /** Absolute path of the synth output folder. */
  readonly outdir: string;
  readonly stacks: readonly SynthStack[];
}

/** The synth output cannot be read; one line per problem. */
export class SynthOutputError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "SynthOutputError";
  }
}

interface ManifestJson {
  readonly stacks?: Readonly<
    Record<
      string,
      {
        readonly name?: string;
        readonly workingDirectory?: string;
        readonly synthesizedStackPath?: string;
        readonly annotations?: readonly SynthAnnotation[];
      }
    >
  >;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : (error as Error).message;
    throw new SynthOutputError([`${file}: cannot read the ${what} (${reason})`]);
  }
}

/** Reads every stack of the synth output in `outdir`. */
export function readSynthOutput(outdir: string): SynthOutput {
  const root = path.resolve(outdir);
  const manifestFile = path.join(root, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new SynthOutputError([
      `${outdir}: no manifest.json; this is not a cdktf synth output folder (run "npm run synth" first, or pass the folder: npm run access-report -- --out <dir>)`,
    ]);
  }
  const manifest = readJson(manifestFile, "cdktf manifest") as ManifestJson;
  const stacks = Object.entries(manifest.stacks ?? {}).map(([id, entry]): SynthStack => {
    const stackFile = path.join(root, entry.synthesizedStackPath ?? path.join("stacks", id, "cdk.tf.json"));
    return {
      id,
      workingDirectory: path.join(root, entry.workingDirectory ?? path.join("stacks", id)),
      json: readJson(stackFile, `Terraform JSON of stack "${id}"`) as TerraformJson,
      annotations: entry.annotations ?? [],
    };
  });
  if (stacks.length === 0) throw new SynthOutputError([`${manifestFile}: lists no stacks`]);
  return { outdir: root, stacks };
}
