/**
 * Each stack's Terraform backend, and where the accessor finds the owner's
 * state: the same settings on both sides, so the hand-off works in every mode.
 */
import { App, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { BackendConfig, S3StateConfig } from "../config/types";
import type { OwnerStateSource } from "../modules/owner-state-reference";
import { localStateFileName, pathFromStackDir } from "./state-paths";
import { requiredTerraformVersion } from "./terraform-version";

/** Which side of the hand-off a stack is. */
export type StackSide = "bucketOwner" | "accessor";

function s3Backend(stack: TerraformStack, state: S3StateConfig): void {
  new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key,
    region: state.region,
    encrypt: true,
    kmsKeyId: state.kmsKeyId,
    dynamodbTable: state.dynamodbTable,
    profile: state.profile,
    assumeRole: state.roleArn === undefined ? undefined : { roleArn: state.roleArn },
  });
  if (state.useLockfile) {
    // Terraform >= 1.10 locks S3 state with a .tflock object; cdktf 0.21's
    // typed S3Backend predates the option, so it is set as an override.
    stack.addOverride("terraform.backend.s3.use_lockfile", true);
  }
}

/**
 * Adds the backend of `side` to `stack`, and the Terraform version the stack needs. Returns the local state path (relative
 * to the stack's working directory) for the local backend, undefined otherwise.
 */
export function configureBackend(
  stack: TerraformStack,
  side: StackSide,
  backend: BackendConfig,
  projectRoot?: string,
): string | undefined {
  const stackId = stack.node.id;
  stack.addOverride("terraform.required_version", requiredTerraformVersion(backend, side));
  switch (backend.type) {
    case "local": {
      const statePath = pathFromStackDir(App.of(stack).outdir, stackId, localStateFileName(stackId), projectRoot);
      new LocalBackend(stack, { path: statePath });
      return statePath;
    }
    case "s3":
      s3Backend(stack, backend[side]);
      return undefined;
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(
          side === "bucketOwner" ? backend.bucketOwnerWorkspace : backend.accessorWorkspace,
        ),
      });
      return undefined;
  }
}

/** Where the accessor stack (`accessorStack`) reads the owner stack's (`ownerStackId`) state. */
export function ownerStateSource(
  accessorStack: TerraformStack,
  ownerStackId: string,
  backend: BackendConfig,
  projectRoot?: string,
): OwnerStateSource {
  switch (backend.type) {
    case "local":
      // Relative to the accessor's stack folder, which sits at the same depth as the owner's.
      return {
        type: "local",
        path: pathFromStackDir(
          App.of(accessorStack).outdir,
          accessorStack.node.id,
          localStateFileName(ownerStackId),
          projectRoot,
        ),
      };
    case "s3":
      return {
        type: "s3",
        bucket: backend.bucketOwner.bucket,
        key: backend.bucketOwner.key,
        region: backend.bucketOwner.region,
        // Read with the accessor state's credentials (which copy the owner's only where the accessor sets none).
        profile: backend.accessor.profile,
        roleArn: backend.ownerStateReaderRoleArn ?? backend.accessor.roleArn,
      };
    case "cloud":
      return {
        type: "cloud",
        organization: backend.organization,
        hostname: backend.hostname,
        workspace: backend.bucketOwnerWorkspace,
      };
  }
}
