/**
 * The oldest Terraform each stack runs on, declared as `required_version` so an
 * older Terraform stops at init with a clear message instead of failing on a
 * block it cannot read. It is the release that introduced the newest feature
 * the stack uses (Terraform's changelog and upgrade guides):
 *   1.10  S3 native state locking (`use_lockfile`)
 *   1.6   the S3 backend's and terraform_remote_state's `assume_role` block
 *   1.4   `terraform_data` (the accessor's AMI marker), the floor for every stack
 */
import type { BackendConfig } from "../config/types";
import type { StackSide } from "./state-backend";

const FLOOR = "1.4.0";
const ASSUME_ROLE_BLOCK = "1.6.0";
const S3_NATIVE_LOCKING = "1.10.0";

/** The `required_version` constraint of the stack on `side` with `backend`. */
export function requiredTerraformVersion(backend: BackendConfig, side: StackSide): string {
  if (backend.type !== "s3") return `>= ${FLOOR}`;
  const state = backend[side];
  if (state.useLockfile) return `>= ${S3_NATIVE_LOCKING}`;
  // The accessor also reads the owner's state, with the reader role when one is set.
  const readerRole = side === "accessor" ? (backend.ownerStateReaderRoleArn ?? state.roleArn) : undefined;
  return state.roleArn !== undefined || readerRole !== undefined ? `>= ${ASSUME_ROLE_BLOCK}` : `>= ${FLOOR}`;
}
