import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AccountConfig } from "../config/types";

/**
 * The AWS provider of one account: aliased, so a resource only ever reaches
 * an account through an explicit `provider`; pinned with allowed_account_ids,
 * so a deploy with the other account's credentials fails before it touches
 * anything; tagging every resource through default_tags.
 */
export function accountProvider(
  scope: Construct,
  alias: string,
  account: AccountConfig,
  tags: Readonly<Record<string, string>>,
): AwsProvider {
  return new AwsProvider(scope, "aws", {
    alias,
    region: account.region,
    allowedAccountIds: [account.accountId],
    defaultTags: [{ tags: { ...tags } }],
  });
}
