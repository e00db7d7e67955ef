/**
 * OwnerStateReference (modules/owner-state-reference.ts): the accessor's
 * explicit terraform_remote_state on the owner's state, and the references
 * into its outputs that carry the hand-off.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { DataTerraformRemoteStateLocal, TerraformOutput } from "cdktf";
import { OwnerStateReference, TARGET_ROLE_ARN_OUTPUT } from "../modules/owner-state-reference";
import { synthModule } from "./helpers/synth";

describe("OwnerStateReference with a local state file", () => {
  const { synth, json } = synthModule((scope) => {
    const owner = new OwnerStateReference(scope, "bucket_owner_state", {
      source: { type: "local", path: "../../../terraform.bucket-owner.tfstate" },
    });
    new TerraformOutput(scope, "role", { value: owner.targetRoleArn });
    new TerraformOutput(scope, "bucket", { value: owner.bucketArn });
  });

  test("is one local terraform_remote_state at a stable address, reading the given relative path", () => {
    expect(synth).toHaveDataSourceWithProperties(DataTerraformRemoteStateLocal, {
      backend: "local",
      config: { path: "../../../terraform.bucket-owner.tfstate" },
    });
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual(["bucket_owner_state"]);
  });

  test("the target role ARN is a reference to the owner's target_role_arn output", () => {
    expect(TARGET_ROLE_ARN_OUTPUT).toBe("target_role_arn");
    expect(json.output!.role!.value).toBe("${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}");
    expect(json.output!.bucket!.value).toBe("${data.terraform_remote_state.bucket_owner_state.outputs.bucket_arn}");
  });

  test("needs no provider (terraform_remote_state is built into Terraform)", () => {
    expect(json.data!.terraform_remote_state!.bucket_owner_state).not.toHaveProperty("provider");
  });
});
