/**
 * AccessorStack (stacks/accessor-stack.ts), synthesized whole from a config:
 * account B's instance role, instance profile and instance, with the target
 * role ARN read from the owner's state, and the outputs a person needs.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { defaultAmiSsmParameter } from "../config/defaults";
import {
  exampleRaw,
  toConfig,
  validConfig,
  ACCESSOR_ACCOUNT,
  BUCKET_NAME,
  INSTANCE_ROLE,
  OWNER_ACCOUNT,
  TARGET_ROLE,
} from "./helpers/config";
import { allBlocks, dataSourcesOf, onlyDataSource, onlyResource, synthApp, TfJson } from "./helpers/synth";
import { list, parsePolicy, SESSION_MANAGER_ACTIONS, sessionManagerStatements } from "./helpers/policy";

const REMOTE_ROLE_ARN = "${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}";
const AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
const SECRETS = /aws_access_key_id|aws_secret_access_key|aws_session_token|source_profile/;

const instanceOf = (json: TfJson) => onlyResource(json, "aws_instance");
const userDataOf = (json: TfJson) => instanceOf(json).user_data as string;

describe("accessor stack from the example config", () => {
  const raw = exampleRaw() as { instanceRoleName: string; cliProfileName: string; bucket: { name: string } };
  const { accessorSynth, accessorJson } = synthApp(toConfig(exampleRaw()));

  test("the instance role and profile carry exactly the configured instance role name", () => {
    expect(accessorSynth).toHaveResourceWithProperties(IamRole, { name: raw.instanceRoleName });
    expect(accessorSynth).toHaveResourceWithProperties(IamInstanceProfile, { name: raw.instanceRoleName });
  });

  test("the CLI profile uses the configured profile name", () => {
    expect(accessorJson.output!.cli_profile!.value).toMatch(new RegExp(`^\\[profile ${raw.cliProfileName}\\]\\n`));
  });
});

describe("accessor stack", () => {
  const { accessorSynth, accessorJson } = synthApp(validConfig());
  const instance = instanceOf(accessorJson);

  test("creates the role, its policy, the profile and the instance, and reads the AMI and the owner's state", () => {
    expect(
      allBlocks(accessorJson)
        .map(([address]) => address)
        .sort(),
    ).toEqual([
      "aws_iam_instance_profile.instance_profile",
      "aws_iam_role.instance_role",
      "aws_iam_role_policy.instance_role_assume_target_role",
      "aws_instance.instance",
      "data.aws_availability_zones.instance_zones",
      "data.aws_ec2_instance_type_offerings.instance_type_zones",
      "data.aws_ssm_parameter.instance_ami",
      "data.aws_subnet.instance_default_subnet",
      "data.terraform_remote_state.bucket_owner_state",
      "terraform_data.instance_ami_source",
    ]);
  });

  test("the instance role is trusted by EC2 and may only assume exactly the target role from the owner's state", () => {
    const trust = parsePolicy(onlyResource(accessorJson, "aws_iam_role").assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "ec2.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
    ]);
    const permissions = parsePolicy(onlyResource(accessorJson, "aws_iam_role_policy").policy);
    expect(permissions.Statement).toHaveLength(1);
    expect(permissions.Statement[0]!.Effect).toBe("Allow");
    expect(list(permissions.Statement[0]!.Action)).toEqual(["sts:AssumeRole"]);
    expect(list(permissions.Statement[0]!.Resource)).toEqual([REMOTE_ROLE_ARN]);
  });

  test("the profile wraps the role; the instance uses the profile", () => {
    expect(accessorSynth).toHaveResourceWithProperties(IamInstanceProfile, {
      name: INSTANCE_ROLE,
      role: "${aws_iam_role.instance_role.name}",
    });
    expect(instance.iam_instance_profile).toBe("${aws_iam_instance_profile.instance_profile.name}");
  });

  test("IMDSv2 required with hop limit 1, encrypted root volume, no public IP", () => {
    expect(accessorSynth).toHaveResourceWithProperties(Instance, {
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
      associate_public_ip_address: false,
      instance_type: "t3.micro",
    });
    expect((instance.root_block_device as { encrypted: boolean }).encrypted).toBe(true);
  });

  test("the AMI is Amazon Linux 2023 x86_64 from the public SSM parameter", () => {
    expect(accessorSynth).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: `${AL2023}x86_64` });
    // insecure_value: AMI ids are public, and the sensitive `value` would hide the image in every plan.
    expect(instance.ami).toBe("${data.aws_ssm_parameter.instance_ami.insecure_value}");
    // A newer image in the parameter does not replace the running instance; a different parameter does,
    // through the terraform_data marker that holds the parameter's name. Terraform's JSON syntax wants a bare
    // reference here ("${…}" is rejected by terraform init as an invalid expression).
    expect(instance.lifecycle).toEqual({
      ignore_changes: ["ami"],
      replace_triggered_by: ["terraform_data.instance_ami_source"],
    });
    expect(onlyResource(accessorJson, "terraform_data").input).toEqual({ ssm_parameter: `${AL2023}x86_64` });
  });

  test("user data writes the profile: role_arn from remote state, credential_source, region, nothing secret", () => {
    const userData = userDataOf(accessorJson);
    expect(userData).toContain("[profile cross-account-s3]\n");
    expect(userData).toContain(`role_arn = ${REMOTE_ROLE_ARN}\n`);
    expect(userData).toContain("credential_source = Ec2InstanceMetadata\n");
    expect(userData).toContain("region = eu-west-1\n");
    expect(userData).not.toMatch(SECRETS);
    expect(userData).not.toContain(`arn:aws:iam::${OWNER_ACCOUNT}:role/${TARGET_ROLE}`);
  });

  test("outputs instance_id, instance_role_arn, cli_profile and verify_commands, each with a description", () => {
    const outputs = accessorJson.output!;
    expect(Object.keys(outputs).sort()).toEqual(["cli_profile", "instance_id", "instance_role_arn", "verify_commands"]);
    expect(outputs.instance_id!.value).toBe("${aws_instance.instance.id}");
    expect(outputs.instance_role_arn!.value).toBe("${aws_iam_role.instance_role.arn}");
    expect(outputs.cli_profile!.value).toBe(
      [
        "[profile cross-account-s3]",
        `role_arn = ${REMOTE_ROLE_ARN}`,
        "credential_source = Ec2InstanceMetadata",
        `role_session_name = ${INSTANCE_ROLE}`,
        "region = eu-west-1",
        "",
      ].join("\n"),
    );
    expect(outputs.verify_commands!.value).toEqual([
      "aws sts get-caller-identity --profile cross-account-s3",
      `aws s3 ls s3://${BUCKET_NAME} --profile cross-account-s3`,
    ]);
    for (const output of Object.values(outputs)) expect((output.description ?? "").length).toBeGreaterThan(20);
  });

  test("the user data's profile is the cli_profile output", () => {
    expect(userDataOf(accessorJson)).toContain(accessorJson.output!.cli_profile!.value as string);
  });
});

describe("accessor stack instance options from the config", () => {
  test.each([
    ["t4g.small", "arm64"],
    ["m7g.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["im4gn.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["a1.large", "arm64"],
    ["t3.micro", "x86_64"],
    ["m7i.large", "x86_64"],
    ["g5.xlarge", "x86_64"],
    ["g4dn.xlarge", "x86_64"],
    ["p4d.24xlarge", "x86_64"],
  ])("%s defaults to the AL2023 %s parameter", (instanceType, arch) => {
    expect(defaultAmiSsmParameter(instanceType)).toBe(`${AL2023}${arch}`);
  });

  test.each([
    ["t4g.small", "arm64"],
    ["g5g.xlarge", "arm64"],
  ])("a %s instance reads the %s parameter in the synthesized stack", (instanceType, arch) => {
    const { accessorJson } = synthApp(validConfig({ instance: { instanceType } }));
    expect(onlyDataSource(accessorJson, "aws_ssm_parameter").name).toBe(`${AL2023}${arch}`);
    expect(instanceOf(accessorJson).instance_type).toBe(instanceType);
  });

  test("amiId replaces the SSM lookup, and changing it replaces the instance", () => {
    const { accessorJson } = synthApp(validConfig({ instance: { amiId: "ami-0123456789abcdef0" } }));
    expect(instanceOf(accessorJson).ami).toBe("ami-0123456789abcdef0");
    expect(instanceOf(accessorJson)).not.toHaveProperty("lifecycle");
    expect(dataSourcesOf(accessorJson, "aws_ssm_parameter")).toEqual({});
  });

  test("moving to a Graviton type changes the AMI marker, so the instance is replaced onto the arm64 image", () => {
    const x86 = synthApp(validConfig({ instance: { instanceType: "t3.micro" } })).accessorJson;
    const arm = synthApp(validConfig({ instance: { instanceType: "t4g.micro" } })).accessorJson;
    expect(onlyResource(x86, "terraform_data").input).toEqual({ ssm_parameter: `${AL2023}x86_64` });
    expect(onlyResource(arm, "terraform_data").input).toEqual({ ssm_parameter: `${AL2023}arm64` });
  });

  test("amiSsmParameter chooses another parameter", () => {
    const parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64";
    const { accessorJson } = synthApp(validConfig({ instance: { amiSsmParameter: parameter } }));
    expect(onlyDataSource(accessorJson, "aws_ssm_parameter").name).toBe(parameter);
  });

  test("hop limit 2, public IP, subnet, security groups and root volume size are passed through", () => {
    const { accessorJson } = synthApp(
      validConfig({
        instance: {
          metadataHopLimit: 2,
          associatePublicIpAddress: true,
          subnetId: "subnet-12345678",
          securityGroupIds: ["sg-12345678"],
          rootVolumeSizeGiB: 16,
        },
      }),
    );
    const instance = instanceOf(accessorJson);
    expect(instance).toEqual(
      expect.objectContaining({
        associate_public_ip_address: true,
        subnet_id: "subnet-12345678",
        vpc_security_group_ids: ["sg-12345678"],
        metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 2 },
      }),
    );
    expect(instance.root_block_device).toEqual(expect.objectContaining({ encrypted: true, volume_size: 16 }));
  });

  test("the profile's region is the bucket owner's region, even when the accessor is elsewhere", () => {
    const { accessorJson } = synthApp(
      validConfig({ bucketOwner: { region: "eu-north-1" }, accessor: { region: "us-east-1" } }),
    );
    expect(userDataOf(accessorJson)).toContain("region = eu-north-1\n");
    expect(userDataOf(accessorJson)).not.toContain("region = us-east-1");
  });

  test("cliProfileName names the profile and the verify commands", () => {
    const { accessorJson } = synthApp(validConfig({ cliProfileName: "team-a" }));
    expect(userDataOf(accessorJson)).toContain("[profile team-a]\n");
    expect(accessorJson.output!.verify_commands!.value).toEqual([
      "aws sts get-caller-identity --profile team-a",
      `aws s3 ls s3://${BUCKET_NAME} --profile team-a`,
    ]);
  });
});

describe("accessor stack with instance.sessionManager", () => {
  const policiesOf = (json: TfJson) =>
    Object.values(json.resource?.aws_iam_role_policy ?? {}).map((p) => ({
      name: p.name,
      role: p.role,
      statements: parsePolicy(p.policy as string).Statement,
    }));

  test("off by default: the instance role's one policy is sts:AssumeRole, and there is no connect_command", () => {
    const { accessorJson } = synthApp(validConfig());
    expect(policiesOf(accessorJson).map((p) => p.name)).toEqual(["assume-target-role"]);
    expect(accessorJson.output).not.toHaveProperty("connect_command");
  });

  test("on: a second inline policy with exactly the five agent actions, registration scoped to the created instance; the assume-role policy is unchanged", () => {
    const { accessorJson } = synthApp(validConfig({ instance: { sessionManager: true } }));
    expect(policiesOf(accessorJson)).toEqual([
      {
        name: "assume-target-role",
        role: "${aws_iam_role.instance_role.name}",
        statements: [{ Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: REMOTE_ROLE_ARN }],
      },
      {
        name: "session-manager",
        role: "${aws_iam_role.instance_role.name}",
        statements: sessionManagerStatements("${aws_instance.instance.arn}"),
      },
    ]);
    // Nothing in it reaches S3, STS or another role.
    expect(SESSION_MANAGER_ACTIONS.filter((a) => /^(s3|sts|iam|kms):/.test(a))).toEqual([]);
  });

  test("on: connect_command opens a session on the created instance in the accessor's region", () => {
    const { accessorJson } = synthApp(
      validConfig({ accessor: { region: "eu-central-1" }, instance: { sessionManager: true } }),
    );
    expect(accessorJson.output!.connect_command).toEqual({
      value: "aws ssm start-session --target ${aws_instance.instance.id} --region eu-central-1",
      description: expect.stringContaining("Session Manager") as unknown,
    });
  });

  test("with an existing instance role, the policy goes on that role by name, for the account's instances in the region; no connect_command", () => {
    const { accessorJson } = synthApp(
      validConfig({
        existingInstanceRole: true,
        instance: { sessionManager: true },
        accessor: { region: "eu-central-1" },
      }),
    );
    expect(policiesOf(accessorJson).map((p) => [p.name, p.role])).toEqual([
      ["assume-target-role", INSTANCE_ROLE],
      ["session-manager", INSTANCE_ROLE],
    ]);
    expect(policiesOf(accessorJson)[1]!.statements).toEqual(
      sessionManagerStatements(`arn:aws:ec2:eu-central-1:${ACCESSOR_ACCOUNT}:instance/*`),
    );
    expect(accessorJson.output).not.toHaveProperty("connect_command");
  });
});

describe("the CLI profile for every user and a valid session name", () => {
  test("user data writes the profile for root, ec2-user and /etc/skel (Session Manager's ssm-user is created later)", () => {
    const { accessorJson } = synthApp(validConfig());
    expect(userDataOf(accessorJson)).toContain("for home in /root /home/ec2-user /etc/skel; do\n");
  });

  test("the role's name is the session name; a one-character name gets -session (STS wants at least 2)", () => {
    expect(userDataOf(synthApp(validConfig()).accessorJson)).toContain(`role_session_name = ${INSTANCE_ROLE}\n`);
    expect(userDataOf(synthApp(validConfig({ instanceRoleName: "i" })).accessorJson)).toContain(
      "role_session_name = i-session\n",
    );
  });
});
