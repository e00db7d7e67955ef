import "cdktf/lib/testing/adapters/jest";
import { Instance, InstanceConfig } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { findingsOf, RuleStack, ruleStack } from "../helpers/policy-rules-harness";

const SECURE: Omit<InstanceConfig, "provider"> = {
  ami: "ami-0123456789abcdef0",
  instanceType: "t3.micro",
  associatePublicIpAddress: false,
  metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
  rootBlockDevice: { encrypted: true },
};

/** An instance with the secure settings, changed by `overrides`; its path is "rules/instance". */
function instance(overrides: Partial<InstanceConfig> = {}): RuleStack {
  const context = ruleStack();
  new Instance(context.stack, "instance", { provider: context.provider, ...SECURE, ...overrides });
  return context;
}

test.each(["ec2-imdsv2-required", "ec2-encrypted-root-volume", "ec2-no-public-ip"])(
  "%s Compliance: an instance with the secure settings",
  (rule) => {
    expect(findingsOf(instance().stack, rule)).toEqual([]);
  },
);

describe("ec2-imdsv2-required", () => {
  const RULE = "ec2-imdsv2-required";

  test("Noncompliance: IMDSv1 allowed (http_tokens optional)", () => {
    expect(findingsOf(instance({ metadataOptions: { httpTokens: "optional" } }).stack, RULE)).toEqual([
      {
        level: "error",
        path: "rules/instance",
        message:
          '[ec2-imdsv2-required] aws_instance.instance: metadata_options.http_tokens is "optional"; set metadata_options { http_tokens = "required" } (checkov CKV_AWS_79; Security Hub EC2.8)',
      },
    ]);
  });

  test("Noncompliance: no metadata options at all, on an instance and on a launch template", () => {
    const context = instance({ metadataOptions: undefined });
    new LaunchTemplate(context.stack, "template", { provider: context.provider, name: "workers" });
    expect(findingsOf(context.stack, RULE).map((f) => f.path)).toEqual(["rules/instance", "rules/template"]);
  });
});

describe("ec2-encrypted-root-volume", () => {
  const RULE = "ec2-encrypted-root-volume";

  test("Noncompliance: an unencrypted root volume", () => {
    expect(findingsOf(instance({ rootBlockDevice: { encrypted: false } }).stack, RULE)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          "root_block_device.encrypted is false; set root_block_device { encrypted = true } (checkov CKV_AWS_8; Security Hub EC2.3)",
        ),
      }),
    ]);
  });

  test("Noncompliance: an unencrypted extra EBS volume", () => {
    expect(
      findingsOf(instance({ ebsBlockDevice: [{ deviceName: "/dev/sdf", encrypted: false }] }).stack, RULE),
    ).toEqual([expect.objectContaining({ message: expect.stringContaining("ebs_block_device[0] is not encrypted") })]);
  });
});

describe("ec2-no-public-ip", () => {
  const RULE = "ec2-no-public-ip";

  test("Noncompliance: a public IP", () => {
    expect(findingsOf(instance({ associatePublicIpAddress: true }).stack, RULE)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("associate_public_ip_address is true; set it to false, or suppress this rule"),
      }),
    ]);
  });

  test("Noncompliance: left unset, which gives a public IP in a default-VPC subnet", () => {
    expect(findingsOf(instance({ associatePublicIpAddress: undefined }).stack, RULE)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("associate_public_ip_address is unset") }),
    ]);
  });
});
