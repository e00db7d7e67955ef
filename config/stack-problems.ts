/**
 * The checks a stack runs on the config it is given, for configs built in
 * code rather than read from a file: the same rules and messages as the file's
 * validation. With an `accessors` list each consumer is checked on its own
 * single-form view, so the owner stack checks N small views and each
 * consumer's stack only its own: the work grows with N, not N².
 */
import { accessorsOf, accessorView, atEntry, configFacts } from "./accessors";
import { accessorSetProblems } from "./accessor-set-rules";
import type { AccessorState } from "./accessor-states";
import { Problem } from "./problems";
import type { AccessorConfig, BackendConfig, CrossAccountConfig } from "./types";
import { findProblems } from "./validate";

/** Fields of a consumer's view that belong to the consumer, as in the file form. */
function isConsumerPath(path: string): boolean {
  return !/^(bucketOwner|tags|backend)\b/.test(path) && !(path.startsWith("bucket") && path !== "bucket.keyPrefix");
}

/** One consumer's problems, at its entry's path; shared fields keep theirs. */
function consumerProblems(config: CrossAccountConfig, accessor: AccessorConfig, index: number): Problem[] {
  return findProblems(accessorView(config, accessor)).map((p) =>
    isConsumerPath(p.path) ? atEntry(`accessors[${index}]`, p) : p,
  );
}

function ownerState(backend: BackendConfig): AccessorState {
  if (backend.type === "s3") return { type: "s3", bucket: backend.bucketOwner.bucket, key: backend.bucketOwner.key };
  if (backend.type === "cloud") return { type: "cloud", workspace: backend.bucketOwnerWorkspace };
  return { type: "local" };
}

/** The owner stack's check: the whole config (every consumer, and the list as a whole). */
export function ownerStackProblems(config: CrossAccountConfig): Problem[] {
  const accessors = config.accessors;
  if (accessors === undefined) return findProblems(config);
  const seen = new Set<string>();
  const each = accessors
    .flatMap((accessor, index) => consumerProblems(config, accessor, index))
    // A shared field's problem shows in every consumer's view: report it once.
    .filter((p) => {
      if (seen.has(p.message)) return false;
      seen.add(p.message);
      return true;
    });
  return [...each, ...accessorSetProblems(accessors.map(configFacts), ownerState(config.backend))];
}

/** A consumer stack's check: its own consumer only. */
export function accessorStackProblems(config: CrossAccountConfig, accessor: AccessorConfig): Problem[] {
  if (config.accessors === undefined) return findProblems(config);
  const found = findProblems(accessorView(config, accessor));
  if (found.length === 0) return found;
  // Only a config with problems looks for the consumer's place in the list, to name its entry.
  const index = Math.max(0, accessorsOf(config).indexOf(accessor));
  return found.map((p) => (isConsumerPath(p.path) ? atEntry(`accessors[${index}]`, p) : p));
}
