/**
 * InstanceProfile (modules/instance-profile.ts): hands the instance role to EC2.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { assumeRolePermission, InstanceRole } from "../modules/instance-role";
import { InstanceProfile } from "../modules/instance-profile";
import { ConfigError } from "../config/problems";
import { onlyResource, resourcesOf, synthModule, TEST_PROVIDER_REF } from "./helpers/synth";

describe("InstanceProfile", () => {
  let profileName = "";
  const { synth, json } = synthModule((scope, provider) => {
    const role = new InstanceRole(scope, "instance_role", {
      provider,
      roleName: "client-instance",
      partition: "aws",
      accountId: "444455556666",
      permissions: [assumeRolePermission("arn:aws:iam::111122223333:role/target")],
      policyName: "assume-target-role",
    });
    profileName = new InstanceProfile(scope, "instance_profile", {
      provider,
      profileName: "client-instance",
      roleName: role.roleName,
    }).profileName;
  });

  test("has the configured name and wraps the role by reference (so it waits for the role)", () => {
    expect(synth).toHaveResourceWithProperties(IamInstanceProfile, {
      name: "client-instance",
      role: "${aws_iam_role.instance_role.name}",
      provider: TEST_PROVIDER_REF,
    });
    expect(Object.keys(resourcesOf(json, "aws_iam_instance_profile"))).toEqual(["instance_profile"]);
  });

  test("exposes the profile name as a reference for the instance", () => {
    expect(profileName).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  test("has no path or tags that would make it differ from the role's name convention", () => {
    const body = onlyResource(json, "aws_iam_instance_profile");
    expect(body.name).toBe("client-instance");
    expect(body).not.toHaveProperty("name_prefix");
  });

  test("rejects an invalid profile name, naming the prop and the construct path", () => {
    const build = () =>
      synthModule((scope, provider) => {
        new InstanceProfile(scope, "instance_profile", { provider, profileName: "bad name", roleName: "ok" });
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('[stack/instance_profile] profileName: "bad name" is not a valid IAM role name');
  });
});
