/**
 * AccessorInstance (modules/accessor-instance.ts): the EC2 instance in the
 * accessor account. IMDSv2 only, encrypted root volume, no public IP by
 * default, AMI from the public SSM parameter unless a fixed id is given.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { AccessorInstance, AccessorInstanceProps } from "../modules/accessor-instance";
import { ConfigError } from "../config/problems";
import { dataSourcesOf, onlyResource, synthModule, TEST_PROVIDER_REF, TfJson } from "./helpers/synth";

const AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const USER_DATA = "#!/bin/bash\necho configured\n";

function build(overrides: Partial<Omit<AccessorInstanceProps, "provider">> = {}): { synth: string; json: TfJson } {
  return synthModule((scope, provider) => {
    new AccessorInstance(scope, "instance", {
      provider,
      name: "client-instance",
      instanceProfileName: "client-profile",
      instanceType: "t3.micro",
      ami: { ssmParameter: AL2023_X86 },
      userData: USER_DATA,
      ...overrides,
    });
  });
}

function instanceOf(json: TfJson): Record<string, unknown> {
  return onlyResource(json, "aws_instance");
}

describe("AccessorInstance with defaults", () => {
  const { synth, json } = build();
  const instance = instanceOf(json);

  test("requires IMDSv2 session tokens, endpoint on, hop limit 1", () => {
    expect(synth).toHaveResourceWithProperties(Instance, {
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
    });
  });

  test("encrypts the root volume", () => {
    expect((instance.root_block_device as { encrypted: boolean }).encrypted).toBe(true);
  });

  test("has no public IP", () => {
    expect(instance.associate_public_ip_address).toBe(false);
  });

  test("reads the AMI from the public SSM parameter, through the same provider", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsSsmParameter, {
      name: AL2023_X86,
      provider: TEST_PROVIDER_REF,
    });
    const [id] = Object.keys(dataSourcesOf(json, "aws_ssm_parameter"));
    expect(instance.ami).toBe(`\${data.aws_ssm_parameter.${id}.insecure_value}`);
  });

  test("uses the instance profile, type, name tag and user data given", () => {
    expect(synth).toHaveResourceWithProperties(Instance, {
      iam_instance_profile: "client-profile",
      instance_type: "t3.micro",
      tags: { Name: "client-instance" },
      user_data: USER_DATA,
      provider: TEST_PROVIDER_REF,
    });
  });

  test("replaces the instance when the user data changes (user data only runs at first boot)", () => {
    expect(instance.user_data_replace_on_change).toBe(true);
  });

  test("leaves security groups, key pair and volume size to the defaults", () => {
    for (const key of ["vpc_security_group_ids", "key_name", "security_groups"]) {
      expect(instance).not.toHaveProperty(key);
    }
    expect(instance.root_block_device).not.toHaveProperty("volume_size");
  });

  // The provider sends associate_public_ip_address only together with a subnet: without one, the default
  // subnet's auto-assign setting wins, the instance gets a public IP, and the next plan replaces it.
  test("always names a subnet: the default VPC's default subnet in a zone that offers the instance type", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsEc2InstanceTypeOfferings, {
      location_type: "availability-zone",
      filter: [{ name: "instance-type", values: ["t3.micro"] }],
      provider: TEST_PROVIDER_REF,
    });
    // Standard zones only: Local and Wavelength Zones have no default subnet.
    expect(synth).toHaveDataSourceWithProperties(DataAwsAvailabilityZones, {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      provider: TEST_PROVIDER_REF,
    });
    const [zonesId] = Object.keys(dataSourcesOf(json, "aws_availability_zones"));
    const [offeringsId] = Object.keys(dataSourcesOf(json, "aws_ec2_instance_type_offerings"));
    expect(synth).toHaveDataSourceWithProperties(DataAwsSubnet, {
      default_for_az: true,
      availability_zone: `\${element(sort(setintersection(data.aws_availability_zones.${zonesId}.names, data.aws_ec2_instance_type_offerings.${offeringsId}.locations)), 0)}`,
      provider: TEST_PROVIDER_REF,
    });
    const [subnetId] = Object.keys(dataSourcesOf(json, "aws_subnet"));
    expect(instance.subnet_id).toBe(`\${data.aws_subnet.${subnetId}.id}`);
  });
});

describe("AccessorInstance options", () => {
  test("a fixed AMI id replaces the SSM lookup", () => {
    const { json } = build({ ami: { id: "ami-0123456789abcdef0" } });
    expect(instanceOf(json).ami).toBe("ami-0123456789abcdef0");
    expect(dataSourcesOf(json, "aws_ssm_parameter")).toEqual({});
  });

  test("a hop limit of 2 (containers) is passed through", () => {
    const { json } = build({ metadataHopLimit: 2 });
    expect(instanceOf(json).metadata_options).toEqual({
      http_endpoint: "enabled",
      http_put_response_hop_limit: 2,
      http_tokens: "required",
    });
  });

  test("a public IP only when asked for", () => {
    expect(instanceOf(build({ associatePublicIpAddress: true }).json).associate_public_ip_address).toBe(true);
  });

  test("subnet, security groups and root volume size; a given subnet needs no lookup", () => {
    const { synth, json } = build({
      subnetId: "subnet-0123456789abcdef0",
      securityGroupIds: ["sg-0123456789abcdef0", "sg-89abcdef"],
      rootVolumeSizeGiB: 30,
    });
    expect(synth).toHaveResourceWithProperties(Instance, {
      subnet_id: "subnet-0123456789abcdef0",
      vpc_security_group_ids: ["sg-0123456789abcdef0", "sg-89abcdef"],
      root_block_device: { encrypted: true, volume_size: 30, volume_type: "gp3" },
    });
    expect(json.data).toEqual({ aws_ssm_parameter: expect.any(Object) as unknown });
  });

  test("a hop limit above 2, a bad AMI id and a bad type are all reported at once with the construct path", () => {
    let error: unknown;
    try {
      build({ metadataHopLimit: 3, ami: { id: "ami-xyz" }, instanceType: "large" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).problems.map((p) => p.message);
    expect(lines).toEqual([
      '[stack/instance] instanceType: "large" is not shaped like an EC2 instance type (e.g. "t3.micro" or "m7g.large")',
      '[stack/instance] ami.id: "ami-xyz" is not an AMI id: "ami-" and 8 or 17 hex digits (e.g. "ami-0123456789abcdef0")',
      "[stack/instance] metadataHopLimit: 3 must be a whole number from 1 to 2 (e.g. 1)",
    ]);
  });
});
