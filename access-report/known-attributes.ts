/**
 * Attributes Terraform only knows after apply but that the report can work
 * out from the configuration and the provider's account: an IAM role's ARN is
 * `arn:<partition>:iam::<account>:role<path><name>`, a bucket's ARN is
 * `arn:<partition>:s3:::<bucket>`, and so on ("IAM identifiers" and "Amazon
 * Resource Names" in the AWS docs). Add a resource type here to let policies
 * that reference it be evaluated.
 */
import { policyDocumentDataToJson } from "./policy-json";

/** The account, region and partition a provider alias is pinned to. */
export interface ProviderContext {
  /** The one account in allowed_account_ids; undefined when it is not pinned to one. */
  readonly accountId?: string;
  readonly region?: string;
  readonly partition: string;
}

/** What an attribute function gets: resolved config values and the element's provider. */
export interface AttributeContext {
  /** A top-level config attribute, resolved; undefined when absent or not a string. */
  readonly text: (attribute: string) => string | undefined;
  /** The whole config, resolved. */
  readonly resolvedConfig: () => Readonly<Record<string, unknown>>;
  readonly provider: ProviderContext;
  /** "type.name", for placeholders of ids AWS generates (KMS key ids). */
  readonly address: string;
}

type AttributeFunction = (context: AttributeContext) => Readonly<Record<string, unknown>>;

function iamArn(context: AttributeContext, kind: string, name: string | undefined): string | undefined {
  const account = context.provider.accountId;
  if (name === undefined || account === undefined) return undefined;
  const iamPath = context.text("path") ?? "/";
  return `arn:${context.provider.partition}:iam::${account}:${kind}${iamPath}${name}`;
}

/** A stand-in for an id AWS generates (a KMS key id): stable, so every reference to it agrees. */
function generatedId(context: AttributeContext): string {
  return `generated-at-apply-${context.address.replace(/[^A-Za-z0-9-]/g, "-")}`;
}

function kmsKeyArn(context: AttributeContext): string | undefined {
  const { accountId, region, partition } = context.provider;
  if (accountId === undefined || region === undefined) return undefined;
  return `arn:${partition}:kms:${region}:${accountId}:key/${generatedId(context)}`;
}

export const RESOURCE_ATTRIBUTES: Readonly<Record<string, AttributeFunction>> = {
  aws_iam_role: (c) => ({ id: c.text("name"), arn: iamArn(c, "role", c.text("name")) }),
  aws_iam_policy: (c) => {
    const arn = iamArn(c, "policy", c.text("name"));
    return { id: arn, arn };
  },
  aws_iam_instance_profile: (c) => ({ id: c.text("name"), arn: iamArn(c, "instance-profile", c.text("name")) }),
  aws_iam_user: (c) => ({ id: c.text("name"), arn: iamArn(c, "user", c.text("name")) }),
  aws_iam_role_policy: (c) => ({ id: `${c.text("role") ?? ""}:${c.text("name") ?? ""}` }),
  aws_s3_bucket: (c) => {
    const bucket = c.text("bucket");
    return { id: bucket, arn: bucket === undefined ? undefined : `arn:${c.provider.partition}:s3:::${bucket}` };
  },
  aws_s3_bucket_policy: (c) => ({ id: c.text("bucket") }),
  aws_kms_key: (c) => ({ id: generatedId(c), key_id: generatedId(c), arn: kmsKeyArn(c) }),
  aws_instance: (c) => {
    const { accountId, region, partition } = c.provider;
    const id = `i-${generatedId(c)}`;
    return { id, arn: accountId && region ? `arn:${partition}:ec2:${region}:${accountId}:instance/${id}` : undefined };
  },
  aws_kms_alias: (c) => {
    const { accountId, region, partition } = c.provider;
    const name = c.text("name");
    return {
      id: name,
      arn: accountId && region && name ? `arn:${partition}:kms:${region}:${accountId}:${name}` : undefined,
    };
  },
};

export const DATA_ATTRIBUTES: Readonly<Record<string, AttributeFunction>> = {
  aws_caller_identity: (c) => ({ id: c.provider.accountId, account_id: c.provider.accountId }),
  aws_partition: (c) => ({
    id: c.provider.partition,
    partition: c.provider.partition,
    dns_suffix: c.provider.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com",
  }),
  aws_region: (c) => ({ id: c.provider.region, name: c.provider.region, region: c.provider.region }),
  aws_s3_bucket: (c) => {
    const bucket = c.text("bucket");
    return { id: bucket, arn: bucket === undefined ? undefined : `arn:${c.provider.partition}:s3:::${bucket}` };
  },
  aws_iam_role: (c) => ({ id: c.text("name"), arn: iamArn(c, "role", c.text("name")) }),
  aws_iam_policy_document: (c) => {
    const json = JSON.stringify(policyDocumentDataToJson(c.resolvedConfig()));
    return { json, minified_json: json };
  },
};
