/**
 * The parts of cdktf.json that the cdktf CLI applies around the app, read the
 * way the CLI reads them (@cdktf/commons readConfigSync: defaults, then the
 * file), so `npm run synth` gives the app the same output folder and context.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CommandError } from "./command-error";

/** The cdktf CLI's default output folder (cdktf.json `output`, `--output`). */
export const DEFAULT_OUTDIR = "cdktf.out";

/** A `terraformModules` entry: a registry or local source, as a string or an object with `source`. */
type ModuleConstraint = string | { readonly source?: string };

export interface CdktfJson {
  /** The output folder when no `--output` is given. */
  readonly output: string;
  /** cdktf.json `context`, passed to the app as CDKTF_CONTEXT_JSON. */
  readonly context: Readonly<Record<string, unknown>> | undefined;
  /**
   * Local (`./`, `../`) module sources, which the CLI adds to the context as `cdktfRelativeModules`.
   * cdktf reads only each entry's source (TerraformModuleAsset), so the sources are passed as strings.
   */
  readonly relativeModules: readonly string[];
}

function sourceOf(module: ModuleConstraint): string {
  return typeof module === "string" ? module : (module.source ?? "");
}

/** Reads `<projectRoot>/cdktf.json`; a missing file gives the CLI's defaults. */
export function readCdktfJson(projectRoot: string): CdktfJson {
  const file = path.join(projectRoot, "cdktf.json");
  let raw: { output?: unknown; context?: unknown; terraformModules?: unknown } = {};
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as typeof raw;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new CommandError([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }
  const output = typeof raw.output === "string" && raw.output !== "" ? raw.output : DEFAULT_OUTDIR;
  const context =
    typeof raw.context === "object" && raw.context !== null ? (raw.context as Record<string, unknown>) : undefined;
  const modules = Array.isArray(raw.terraformModules) ? (raw.terraformModules as ModuleConstraint[]) : [];
  return {
    output,
    context,
    relativeModules: modules.map(sourceOf).filter((source) => source.startsWith("./") || source.startsWith("../")),
  };
}
