/**
 * `terraform plan` of both stacks of the default config (config/example.json,
 * unchanged) with no AWS at all: each aliased provider talks to a stub on
 * loopback that answers STS GetCallerIdentity (allowed_account_ids), the EC2
 * lookups of the default subnet and the AMI's SSM parameter. The owner is
 * planned first; its outputs reach the accessor through a state stored by the
 * owner's own local backend, so the accessor's terraform_remote_state reads
 * them from the path the stacks name, and the accessor's plan shows the real
 * target role ARN in the instance role's policy and in the instance's user data.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadConfig } from "../config/load";
import { PROJECT_ROOT } from "./helpers/config";
import { parsePolicy } from "./helpers/policy";
import { AwsStub, startAwsStub } from "./helpers/terraform-aws-stub";
import {
  findToolchain,
  formatDiagnostic,
  pinMirroredProvider,
  StackDir,
  synthToDisk,
  Toolchain,
} from "./helpers/terraform";
import {
  initStack,
  ownerStateAfterApply,
  plannedChange,
  dataSourceRead,
  PlanJson,
  PlanRun,
  planStack,
  pushState,
  renderTemplate,
  userDataHash,
  writeStubProviderOverride,
} from "./helpers/terraform-plan";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const WORK = mkdtempSync(path.join(tmpdir(), "terraform-plan-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

// cdktf's synth runs `terraform version` for terraform_data and cloud blocks; no update check over the network.
process.env.CHECKPOINT_DISABLE = "1";
const lookup = findToolchain(path.join(WORK, "toolchain"));
const skipReason = "skipReason" in lookup ? lookup.skipReason : undefined;
if (skipReason !== undefined) process.stderr.write(`Terraform plan skipped: ${skipReason}\n`);
const describeWithTerraform = skipReason === undefined ? describe : describe.skip;

const config = loadConfig({}, PROJECT_ROOT);
const OWNER = config.bucketOwner.accountId;
const ACCESSOR = config.accessor.accountId;
const OWNER_KEY = "AKIASTUBBUCKETOWNER1";
const ACCESSOR_KEY = "AKIASTUBACCESSOR0001";
const AMI_ID = "ami-0a1b2c3d4e5f60718";
const TARGET_ROLE_ARN = `arn:aws:iam::${OWNER}:role/${config.targetRoleName}`;
const ROLE_ARN_REFERENCE = "data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn";

describeWithTerraform("terraform plan of the default config, offline", () => {
  let toolchain: Toolchain;
  let stub: AwsStub | undefined;
  let owner: StackDir;
  let accessor: StackDir;
  let ownerRun: PlanRun;
  let accessorRun: PlanRun;
  let wrongAccountRun: PlanRun;
  const plan = (run: PlanRun): PlanJson => {
    if (run.plan === undefined) {
      throw new Error(
        `the plan failed:\n${[...run.diagnostics.map((d) => formatDiagnostic(d)), run.stderr].join("\n")}`,
      );
    }
    return run.plan;
  };

  beforeAll(async () => {
    toolchain = (lookup as { toolchain: Toolchain }).toolchain;
    // The accessor's region, as EC2 would describe it: zone a does not offer the instance type, and a
    // Wavelength Zone (opt-in, no default subnet) sorts before every standard zone.
    const aws = await startAwsStub({
      accounts: { [OWNER_KEY]: OWNER, [ACCESSOR_KEY]: ACCESSOR },
      region: config.accessor.region,
      zones: [
        zone("-wl1-dub-wlz-1", "wl1-az1", "opted-in", "wavelength-zone", undefined),
        zone("a", "az3", "opt-in-not-required", "availability-zone", "subnet-0aaaaaaaaaaaaaaa1", ["t4g.small"]),
        zone("b", "az1", "opt-in-not-required", "availability-zone", "subnet-0bbbbbbbbbbbbbbb2"),
        zone("c", "az2", "opt-in-not-required", "availability-zone", "subnet-0ccccccccccccccc3"),
      ],
      ssmParameters: { [config.instance.amiSsmParameter!]: AMI_ID },
    });
    stub = aws;
    const stacks = await synthToDisk("config-example", config, path.join(WORK, "case"), toolchain);
    owner = stacks[0]!;
    accessor = stacks[1]!;
    for (const stack of stacks) pinMirroredProvider(stack, toolchain);
    writeStubProviderOverride(owner, "bucket_owner", OWNER_KEY, aws.endpoint);
    writeStubProviderOverride(accessor, "accessor", ACCESSOR_KEY, aws.endpoint);
    // The owner stack as someone holding the accessor account's credentials would plan it, in a
    // folder of its own (same depth, so its state path points into that folder, not at the owner's state).
    const wrongAccount = {
      ...owner,
      caseId: "wrong-account",
      dir: path.join(WORK, "wrong-account", "cdktf.out", "stacks", "bucket-owner"),
    };
    cpSync(owner.dir, wrongAccount.dir, { recursive: true });
    writeStubProviderOverride(wrongAccount, "bucket_owner", ACCESSOR_KEY, aws.endpoint);

    // The owner is planned and its state stored while the accessor initializes; the accessor plans last.
    const planOwner = async () => {
      await initStack(toolchain, owner);
      const run = await planStack(toolchain, owner);
      if (run.plan !== undefined) {
        const state = ownerStateAfterApply(run.plan, {
          partition: "aws",
          accountId: OWNER,
          terraformVersion: toolchain.terraformVersion,
        });
        await pushState(toolchain, owner, state);
      }
      return run;
    };
    const planWrongAccount = async () => {
      await initStack(toolchain, wrongAccount);
      return planStack(toolchain, wrongAccount);
    };
    // Every task settles before a failure is reported, so no terraform process outlives the suite.
    const settled = await Promise.allSettled([planOwner(), planWrongAccount(), initStack(toolchain, accessor)]);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    [ownerRun, wrongAccountRun] = settled.map((s) => (s as PromiseFulfilledResult<PlanRun>).value) as [
      PlanRun,
      PlanRun,
    ];
    accessorRun = await planStack(toolchain, accessor);
  }, 600_000);

  afterAll(async () => {
    await stub?.close();
  }, HOOK_TIMEOUT_MS);

  test("the owner's plan passes allowed_account_ids with the owner's credentials, with no error or warning", () => {
    expect(ownerRun.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    expect(plan(ownerRun).planned_values.outputs?.bucket_arn?.value).toBe(`arn:aws:s3:::${config.bucket.name}`);
  });

  test("with the accessor account's credentials, the owner's plan stops: that account is not allowed", () => {
    expect(wrongAccountRun.code).not.toBe(0);
    expect(wrongAccountRun.diagnostics.map((d) => `${d.severity}: ${d.summary}`)).toEqual([
      `error: AWS account ID not allowed: ${ACCESSOR}`,
    ]);
  });

  test("the accessor's plan reads the owner's state through terraform_remote_state, with no error or warning", () => {
    expect(accessorRun.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    expect(dataSourceRead(plan(accessorRun), "data.terraform_remote_state.bucket_owner_state").outputs).toEqual(
      expect.objectContaining({ target_role_arn: TARGET_ROLE_ARN }),
    );
  });

  test("the instance role may assume exactly the target role ARN from the owner's state", () => {
    const policy = parsePolicy(
      plannedChange(plan(accessorRun), "aws_iam_role_policy.instance_role_assume_target_role").policy,
    );
    expect(policy.Statement).toEqual([
      { Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: TARGET_ROLE_ARN },
    ]);
  });

  test("the instance's user data writes a CLI profile with role_arn = the target role ARN", () => {
    const synthesized = JSON.parse(readFileSync(path.join(accessor.dir, "cdk.tf.json"), "utf8")) as {
      resource: { aws_instance: { instance: { user_data: string } } };
    };
    const userData = renderTemplate(
      synthesized.resource.aws_instance.instance.user_data,
      ROLE_ARN_REFERENCE,
      TARGET_ROLE_ARN,
    );
    expect(userData).toContain(`\nrole_arn = ${TARGET_ROLE_ARN}\ncredential_source = Ec2InstanceMetadata\n`);
    // The provider plans user data as its SHA-1: equal hashes mean the planned text is exactly this one.
    expect(plannedChange(plan(accessorRun), "aws_instance.instance").user_data).toBe(userDataHash(userData));
    expect(plan(accessorRun).output_changes?.cli_profile?.after).toContain(`role_arn = ${TARGET_ROLE_ARN}\n`);
  });

  test("the instance launches from the AMI the SSM parameter names, in the default subnet of the first standard zone offering its type", () => {
    const instance = plannedChange(plan(accessorRun), "aws_instance.instance");
    expect(instance).toEqual(
      expect.objectContaining({
        ami: AMI_ID,
        subnet_id: "subnet-0bbbbbbbbbbbbbbb2",
        instance_type: config.instance.instanceType,
        associate_public_ip_address: false,
      }),
    );
  });

  test("every AWS call the plans made was answered by the stub: STS, then EC2 and SSM for the accessor", () => {
    expect(stub!.unanswered).toEqual([]);
    const made = new Set(
      stub!.calls.map((c) => `${c.accessKeyId === OWNER_KEY ? "owner" : "accessor"} ${c.service} ${c.action}`),
    );
    expect([...made].sort()).toEqual([
      "accessor ec2 DescribeAvailabilityZones",
      "accessor ec2 DescribeInstanceTypeOfferings",
      "accessor ec2 DescribeSubnets",
      "accessor ssm AmazonSSM.GetParameter",
      "accessor sts GetCallerIdentity",
      "owner sts GetCallerIdentity",
    ]);
  });
});

/** A zone of the accessor's region (suffix appended to the region name), offering t3.micro unless told otherwise. */
function zone(
  suffix: string,
  idSuffix: string,
  optInStatus: string,
  zoneType: "availability-zone" | "wavelength-zone",
  defaultSubnetId: string | undefined,
  instanceTypes: readonly string[] = [config.instance.instanceType],
) {
  return {
    name: `${config.accessor.region}${suffix}`,
    id: `euw1-${idSuffix}`,
    optInStatus,
    zoneType,
    instanceTypes,
    defaultSubnetId,
  };
}
