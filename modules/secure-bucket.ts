import { Construct } from "constructs";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { bucketNameRule } from "../config/rules";
import { throwIfProblems } from "../config/problems";
import { bucketArn } from "../lib/s3-access-actions";
import { nameElement } from "../lib/logical-id";

export interface SecureBucketProps {
  /** Provider of the bucket owner account. */
  readonly provider: TerraformProvider;
  /** Globally unique S3 bucket name. */
  readonly bucketName: string;
  /** ARN partition of the owner's region ("aws", "aws-cn", "aws-us-gov"). */
  readonly partition: string;
  /**
   * Customer managed KMS key for SSE-KMS, with an S3 Bucket Key to cut KMS calls.
   * @default SSE-S3 (AES256, keys managed by S3)
   */
  readonly kmsKeyArn?: string;
}

/**
 * An S3 bucket with the secure settings on: all four Block Public Access
 * switches, ACLs disabled (BucketOwnerEnforced), default encryption, versioning,
 * and `prevent_destroy` so a plan can never delete the data. There is no
 * `force_destroy`: a non-empty bucket is never emptied by Terraform.
 */
export class SecureBucket extends Construct {
  /** The bucket's name. */
  public readonly bucketName: string;
  /** The bucket's ARN, known at synth time so policies stay readable. */
  public readonly bucketArn: string;
  /**
   * Resources a bucket policy must wait for: S3 rejects or races a policy
   * written while Block Public Access and ownership controls are being set.
   */
  public readonly policyPrerequisites: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    throwIfProblems(bucketNameRule("bucketName", props.bucketName), this.node.path);
    const provider = props.provider;

    const bucket = new S3Bucket(this, "bucket", {
      provider,
      bucket: props.bucketName,
      lifecycle: { preventDestroy: true },
    });
    nameElement(bucket, id);

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public-access-block", {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    nameElement(publicAccessBlock, id, "public_access_block");

    const ownership = new S3BucketOwnershipControls(this, "ownership-controls", {
      provider,
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    nameElement(ownership, id, "ownership_controls");

    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket: bucket.id,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            },
      ],
    });
    nameElement(encryption, id, "encryption");

    const versioning = new S3BucketVersioningA(this, "versioning", {
      provider,
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    nameElement(versioning, id, "versioning");

    this.bucketName = props.bucketName;
    this.bucketArn = bucketArn(props.partition, props.bucketName);
    this.policyPrerequisites = [bucket, publicAccessBlock, ownership];
  }
}
