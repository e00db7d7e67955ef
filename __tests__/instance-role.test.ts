/**
 * InstanceRole (modules/instance-role.ts): the EC2 role in the accessor
 * account. EC2 may assume it, and its one permission is sts:AssumeRole on
 * exactly the target role.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { TerraformOutput } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { assumeRolePermission, InstanceRole } from "../modules/instance-role";
import { onlyResource, resourceTypes, synthModule, TEST_PROVIDER_REF, TfJson } from "./helpers/synth";
import { list, parsePolicy } from "./helpers/policy";

const TARGET_ROLE_ARN = "arn:aws:iam::111122223333:role/shared-data-reader";

function build(
  partition = "aws",
  targetRoleArn = TARGET_ROLE_ARN,
): { synth: string; json: TfJson; role: InstanceRole } {
  let role: InstanceRole | undefined;
  const { synth, json } = synthModule((scope, provider) => {
    role = new InstanceRole(scope, "instance_role", {
      provider,
      roleName: "shared-data-client-instance",
      partition,
      accountId: "444455556666",
      permissions: [assumeRolePermission(targetRoleArn)],
      policyName: "assume-target-role",
    });
    new TerraformOutput(scope, "role_arn", { value: role.roleArn });
    new TerraformOutput(scope, "role_name", { value: role.roleName });
  });
  return { synth, json, role: role! };
}

describe("InstanceRole", () => {
  const { synth, json, role } = build();
  const trust = parsePolicy(onlyResource(json, "aws_iam_role").assume_role_policy);
  const permissions = parsePolicy(onlyResource(json, "aws_iam_role_policy").policy);

  test("has the configured name, and nothing but the role and its inline policy (no managed policies)", () => {
    expect(synth).toHaveResourceWithProperties(IamRole, {
      name: "shared-data-client-instance",
      provider: TEST_PROVIDER_REF,
    });
    expect(resourceTypes(json)).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
    expect(onlyResource(json, "aws_iam_role")).not.toHaveProperty("managed_policy_arns");
  });

  test("exposes the role's ARN and name as references to the role it creates", () => {
    expect(json.output?.role_arn?.value).toBe("${aws_iam_role.instance_role.arn}");
    expect(json.output?.role_name?.value).toBe("${aws_iam_role.instance_role.name}");
    expect(role).toBeInstanceOf(InstanceRole);
  });

  test("is trusted by ec2.amazonaws.com only, for sts:AssumeRole", () => {
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement!.Effect).toBe("Allow");
    expect(statement!.Principal).toEqual({ Service: "ec2.amazonaws.com" });
    expect(list(statement!.Action)).toEqual(["sts:AssumeRole"]);
    expect(statement!.Condition).toBeUndefined();
  });

  test("its only permission is sts:AssumeRole on exactly the target role ARN", () => {
    expect(synth).toHaveResourceWithProperties(IamRolePolicy, {
      role: "${aws_iam_role.instance_role.name}",
      provider: TEST_PROVIDER_REF,
    });
    expect(permissions.Statement).toHaveLength(1);
    const [statement] = permissions.Statement;
    expect(statement!.Effect).toBe("Allow");
    expect(list(statement!.Action)).toEqual(["sts:AssumeRole"]);
    expect(list(statement!.Resource)).toEqual([TARGET_ROLE_ARN]);
    expect(statement!.Principal).toBeUndefined();
  });

  test("no wildcard and no S3 permission anywhere", () => {
    const text = onlyResource(json, "aws_iam_role_policy").policy as string;
    expect(text).not.toContain("*");
    expect(text).not.toContain("s3:");
  });

  test("in aws-cn the EC2 service principal uses the China DNS suffix", () => {
    const cn = build("aws-cn", "arn:aws-cn:iam::111122223333:role/r");
    const statement = parsePolicy(onlyResource(cn.json, "aws_iam_role").assume_role_policy).Statement[0]!;
    expect(statement.Principal).toEqual({ Service: "ec2.amazonaws.com.cn" });
  });

  test("a Terraform reference as target ARN lands verbatim as the Resource", () => {
    const ref = "${data.terraform_remote_state.owner.outputs.target_role_arn}";
    const built = build("aws", ref);
    expect(list(parsePolicy(onlyResource(built.json, "aws_iam_role_policy").policy).Statement[0]!.Resource)).toEqual([
      ref,
    ]);
  });
});
