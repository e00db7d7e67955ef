import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { S3AccessPoint } from "@cdktf/provider-aws/lib/s3-access-point";
import { S3ControlAccessPointPolicy } from "@cdktf/provider-aws/lib/s3control-access-point-policy";
import type { AccessLevel, AccessPointConfig } from "../config/types";
import { accessLevelRule, accountIdRule } from "../config/rules";
import { accessPointNameRule } from "../config/accessor-names";
import { throwIfProblems } from "../config/problems";
import { policyDocument, PolicyDocument, toPolicyJson } from "../lib/policy-document";
import { s3AccessStatements } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";

export interface ConsumerAccessPointProps {
  /** Provider of the bucket owner account: an access point belongs to the bucket's own account. */
  readonly provider: TerraformProvider;
  /** The access point's name and ARNs. */
  readonly accessPoint: AccessPointConfig;
  /** The bucket behind it. */
  readonly bucketName: string;
  /**
   * What the access point waits for: the bucket this stack creates and its Block Public Access settings.
   * @default none (an existing bucket)
   */
  readonly bucketResources?: ITerraformDependable[];
  /** The bucket owner account, which owns the access point (what the bucket policy's delegation names). */
  readonly ownerAccountId: string;
  /** The consumer's target role: the only principal the access point policy grants. */
  readonly targetRoleArn: string;
  /** What the target role may do through the access point. */
  readonly accessLevel: AccessLevel;
  /** Only keys under this prefix; undefined means every key. */
  readonly keyPrefix?: string;
  /** The target role, which must exist before the access point policy can name it ("Invalid principal in policy"). */
  readonly dependsOn: ITerraformDependable[];
}

/** The access point policy: the target role gets its level on its prefix, through this access point only. */
export function accessPointPolicyDocument(
  props: Pick<ConsumerAccessPointProps, "accessPoint" | "targetRoleArn" | "accessLevel" | "keyPrefix">,
): PolicyDocument {
  return policyDocument(
    s3AccessStatements(
      props.accessLevel,
      { arn: props.accessPoint.arn, objectsArnBase: props.accessPoint.objectsArnBase, keyPrefix: props.keyPrefix },
      { principal: { AWS: props.targetRoleArn } },
    ),
  );
}

/**
 * One consumer's S3 access point on the shared bucket, in the owner account,
 * with its own policy. Each consumer's grant lives here instead of in the
 * bucket policy (which only delegates to the owner's access points), so no
 * policy grows with the number of consumers, and adding or removing one
 * touches nothing of the others. All four Block Public Access settings are on
 * (they cannot be changed after creation). The network origin is Internet: the
 * consumer's instance is in another account's VPC, which a VPC origin could
 * not name; the role and TLS-only access point are the boundary, and a
 * consumer can pin its own VPC endpoint policy to this ARN. Access points
 * only accept HTTPS and signed requests ("Access points restrictions and
 * limitations" in the S3 user guide).
 */
export class ConsumerAccessPoint extends Construct {
  /** The access point's ARN, known at synth time. */
  public readonly arn: string;
  /** Its alias (`<name>-<random>-s3alias`), usable wherever a bucket name is; a Terraform reference. */
  public readonly alias: string;
  /** The access point policy as written. */
  public readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: ConsumerAccessPointProps) {
    super(scope, id);
    throwIfProblems(
      [
        ...accessPointNameRule("accessPoint.name", props.accessPoint.name),
        ...accountIdRule("ownerAccountId", props.ownerAccountId),
        ...accessLevelRule("accessLevel", props.accessLevel),
      ],
      this.node.path,
    );
    const accessPoint = nameElement(
      new S3AccessPoint(this, "access-point", {
        provider: props.provider,
        name: props.accessPoint.name,
        bucket: props.bucketName,
        accountId: props.ownerAccountId,
        publicAccessBlockConfiguration: {
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        dependsOn:
          props.bucketResources !== undefined && props.bucketResources.length > 0 ? props.bucketResources : undefined,
      }),
      id,
    );
    this.document = accessPointPolicyDocument(props);
    nameElement(
      new S3ControlAccessPointPolicy(this, "policy", {
        provider: props.provider,
        accessPointArn: accessPoint.arn,
        policy: toPolicyJson(this.document),
        dependsOn: props.dependsOn,
      }),
      id,
      "policy",
    );
    this.arn = props.accessPoint.arn;
    this.alias = accessPoint.alias;
  }
}
