import { Construct } from "constructs";
import { DataResource, dependable, Fn, TerraformProvider } from "cdktf";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsEc2InstanceTypeOfferings } from "@cdktf/provider-aws/lib/data-aws-ec2-instance-type-offerings";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import {
  amiIdRule,
  instanceTypeRule,
  metadataHopLimitRule,
  rootVolumeSizeRule,
  securityGroupIdRule,
  ssmParameterRule,
  subnetIdRule,
} from "../config/rules";
import { Problem, throwIfProblems } from "../config/problems";
import { nameElement } from "../lib/logical-id";
import { suppressRule } from "../policy-rules/suppression";

export interface AccessorInstanceProps {
  /** Provider of the accessor account. */
  readonly provider: TerraformProvider;
  /** Name tag of the instance. */
  readonly name: string;
  /** Instance profile carrying the instance role. */
  readonly instanceProfileName: string;
  /** EC2 instance type, e.g. "t3.micro". */
  readonly instanceType: string;
  /** The AMI: a fixed id, or a public SSM parameter read at plan time. */
  readonly ami: { readonly id: string } | { readonly ssmParameter: string };
  /**
   * Subnet to launch in.
   * @default the default VPC's default subnet in the first standard zone (sorted by name) offering the type
   */
  readonly subnetId?: string;
  /**
   * Security groups.
   * @default the VPC's default security group
   */
  readonly securityGroupIds?: readonly string[];
  /**
   * Give the instance a public IPv4 address.
   * @default false
   */
  readonly associatePublicIpAddress?: boolean;
  /**
   * IMDSv2 response hop limit; 2 lets containers on the instance reach IMDS.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Root volume size in GiB.
   * @default the AMI's size
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * User data run at first boot (writes the CLI profile).
   * @default none
   */
  readonly userData?: string;
}

/**
 * The accessor's EC2 instance. IMDSv2 is required (session tokens only, which
 * blunts SSRF theft of the role's credentials), the root volume is encrypted,
 * there is no public IP unless asked for, and changed user data replaces the
 * instance: user data only runs at first boot, so an in-place change would
 * leave a stale CLI profile behind.
 */
export class AccessorInstance extends Construct {
  /** The instance's id. */
  public readonly instanceId: string;
  /** The instance's ARN. */
  public readonly instanceArn: string;

  constructor(scope: Construct, id: string, props: AccessorInstanceProps) {
    super(scope, id);
    const optional = (value: unknown, check: (value: unknown) => Problem[]): Problem[] =>
      value === undefined ? [] : check(value);
    throwIfProblems(
      [
        ...instanceTypeRule("instanceType", props.instanceType),
        ...("id" in props.ami
          ? amiIdRule("ami.id", props.ami.id)
          : ssmParameterRule("ami.ssmParameter", props.ami.ssmParameter)),
        ...optional(props.subnetId, (v) => subnetIdRule("subnetId", v)),
        ...(props.securityGroupIds ?? []).flatMap((v, i) => securityGroupIdRule(`securityGroupIds[${i}]`, v)),
        ...optional(props.metadataHopLimit, (v) => metadataHopLimitRule("metadataHopLimit", v)),
        ...optional(props.rootVolumeSizeGiB, (v) => rootVolumeSizeRule("rootVolumeSizeGiB", v)),
      ],
      this.node.path,
    );

    const { ami, amiSource } = this.image(props, id);

    const securityGroupIds = props.securityGroupIds ?? [];
    const instance = nameElement(
      new Instance(this, "instance", {
        provider: props.provider,
        ami,
        instanceType: props.instanceType,
        iamInstanceProfile: props.instanceProfileName,
        subnetId: props.subnetId ?? this.defaultSubnetId(props, id),
        vpcSecurityGroupIds: securityGroupIds.length > 0 ? [...securityGroupIds] : undefined,
        associatePublicIpAddress: props.associatePublicIpAddress ?? false,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: props.metadataHopLimit ?? 1,
        },
        rootBlockDevice: {
          encrypted: true,
          volumeType: "gp3",
          volumeSize: props.rootVolumeSizeGiB,
        },
        userData: props.userData,
        userDataReplaceOnChange: true,
        tags: { Name: props.name },
        // Move to a newer image on purpose with `terraform apply -replace=aws_instance.instance`.
        // A fixed amiId replaces the instance when you change it, as usual. Terraform's JSON syntax wants a bare
        // reference in replace_triggered_by; cdktf renders a construct there as "${…}", which terraform init
        // rejects, so the reference goes through dependable(), as cdktf does for depends_on.
        lifecycle:
          amiSource === undefined ? undefined : { ignoreChanges: ["ami"], replaceTriggeredBy: [dependable(amiSource)] },
      }),
      id,
    );
    // Asked for explicitly: the policy rule reports it as a suppressed finding instead of an error.
    if (props.associatePublicIpAddress === true) {
      suppressRule(
        instance,
        "ec2-no-public-ip",
        "a public IP was asked for explicitly (associatePublicIpAddress: true)",
      );
    }
    this.instanceId = instance.id;
    this.instanceArn = instance.arn;
  }

  /**
   * The default VPC's default subnet in a standard availability zone that offers the instance type. The
   * instance always names a subnet because the provider sends associate_public_ip_address only with one:
   * without it the default subnet's auto-assign setting applies, the instance gets a public IP anyway, and
   * the next plan wants to replace it (the attribute forces replacement). Zones are sorted so the choice is
   * stable between plans; Local and Wavelength Zones (opt-in) have no default subnet and are left out.
   */
  private defaultSubnetId(props: AccessorInstanceProps, id: string): string {
    const zones = nameElement(
      new DataAwsAvailabilityZones(this, "zones", {
        provider: props.provider,
        state: "available",
        filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      }),
      id,
      "zones",
    );
    const offerings = nameElement(
      new DataAwsEc2InstanceTypeOfferings(this, "type-zones", {
        provider: props.provider,
        locationType: "availability-zone",
        filter: [{ name: "instance-type", values: [props.instanceType] }],
      }),
      id,
      "type_zones",
    );
    const subnet = nameElement(
      new DataAwsSubnet(this, "default-subnet", {
        provider: props.provider,
        defaultForAz: true,
        availabilityZone: Fn.element(Fn.sort(Fn.setintersection(zones.names, [offerings.locations])), 0) as string,
      }),
      id,
      "default_subnet",
    );
    return subnet.id;
  }

  /**
   * The AMI id, and for an image from SSM the marker that replaces the instance
   * when the parameter (not the image it names) changes.
   */
  private image(props: AccessorInstanceProps, id: string): { ami: string; amiSource?: DataResource } {
    if ("id" in props.ami) return { ami: props.ami.id };
    const parameter = nameElement(
      new DataAwsSsmParameter(this, "ami", { provider: props.provider, name: props.ami.ssmParameter }),
      id,
      "ami",
    );
    // The parameter names the newest image, which changes every few weeks: the instance ignores that
    // (otherwise every later deploy would replace it), but a different parameter (another architecture
    // after an instance type change, or another image family) replaces it through this marker.
    const amiSource = nameElement(
      new DataResource(this, "ami-source", { input: { ssm_parameter: props.ami.ssmParameter } }),
      id,
      "ami_source",
    );
    // The provider marks an SSM parameter's `value` sensitive, which would hide the AMI id in every plan;
    // AMI ids are public, so read `insecure_value`.
    return { ami: parameter.insecureValue, amiSource };
  }
}
