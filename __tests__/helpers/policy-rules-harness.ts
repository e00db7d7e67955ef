/**
 * A bare stack with the policy rules applied, for Compliance / Noncompliance
 * cases: build a few raw provider resources in it, synthesize, and read the
 * annotations the rules left on the constructs.
 */
import { Aspects, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import type { IConstruct } from "constructs";
import type { StatementJson } from "../../access-report/policy-json";
import type { AccessLevel } from "../../config/types";
import { PolicyRules } from "../../policy-rules";

export const OWNER_ACCOUNT = "111122223333";
export const ACCESSOR_ACCOUNT = "444455556666";
export const BUCKET_NAME = "example-rules-bucket";
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET_NAME}`;

export interface RuleStack {
  readonly stack: TerraformStack;
  readonly provider: AwsProvider;
}

/** A stack in the owner account with the policy rules applied. */
export function ruleStack(options: { readonly accessLevel?: AccessLevel } = {}): RuleStack {
  const stack = new TerraformStack(Testing.app(), "rules");
  const provider = new AwsProvider(stack, "aws", {
    alias: "owner",
    region: "eu-west-1",
    allowedAccountIds: [OWNER_ACCOUNT],
  });
  Aspects.of(stack).add(new PolicyRules({ accessLevel: options.accessLevel }));
  return { stack, provider };
}

export interface Annotation {
  readonly level: "error" | "warning" | "info";
  readonly path: string;
  readonly message: string;
}

const LEVELS: Readonly<Record<string, Annotation["level"]>> = {
  "@cdktf/error": "error",
  "@cdktf/warn": "warning",
  "@cdktf/info": "info",
};

/** Synthesizes the stack (which runs the rules) and returns every annotation in it. */
export function annotationsOf(stack: TerraformStack): Annotation[] {
  Testing.synth(stack);
  return stack.node.findAll().flatMap((construct: IConstruct) =>
    construct.node.metadata.flatMap((entry) => {
      const level = LEVELS[entry.type];
      return level === undefined ? [] : [{ level, path: construct.node.path, message: String(entry.data) }];
    }),
  );
}

/** The annotations of one rule. */
export function findingsOf(stack: TerraformStack, ruleId: string): Annotation[] {
  return annotationsOf(stack).filter((annotation) => annotation.message.startsWith(`[${ruleId}]`));
}

/** A policy document as the JSON string Terraform gets. */
export function policyJson(...statements: StatementJson[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The TLS-only statement of a compliant bucket policy. */
export const DENY_INSECURE_TRANSPORT: StatementJson = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};

/** A grant to one role, as a compliant bucket policy has it. */
export const GRANT_READER: StatementJson = {
  Sid: "ReaderGetsObjects",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:role/reader` },
  Action: ["s3:GetObject"],
  Resource: `${BUCKET_ARN}/*`,
};

export type BucketPart = "publicAccessBlock" | "ownership" | "encryption" | "versioning" | "policy";

/** A bucket with every secure setting, minus the parts in `without`. Returns the bucket resource. */
export function secureBucket({ stack, provider }: RuleStack, without: readonly BucketPart[] = []): S3Bucket {
  const bucket = new S3Bucket(stack, "bucket", { provider, bucket: BUCKET_NAME });
  if (!without.includes("publicAccessBlock")) {
    new S3BucketPublicAccessBlock(stack, "public-access-block", {
      provider,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
  if (!without.includes("ownership")) {
    new S3BucketOwnershipControls(stack, "ownership", {
      provider,
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
  }
  if (!without.includes("encryption")) {
    new S3BucketServerSideEncryptionConfigurationA(stack, "encryption", {
      provider,
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
  }
  if (!without.includes("versioning")) {
    new S3BucketVersioningA(stack, "versioning", {
      provider,
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
  }
  if (!without.includes("policy")) {
    new S3BucketPolicy(stack, "bucket-policy", {
      provider,
      bucket: bucket.id,
      policy: policyJson(DENY_INSECURE_TRANSPORT, GRANT_READER),
    });
  }
  return bucket;
}
