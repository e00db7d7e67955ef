import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { AccountConfig } from "../config/types";

/**
 * The AWS provider of one account: aliased, so a resource only ever reaches
 * an account through an explicit `provider`; pinned with allowed_account_ids,
 * so a deploy with the other account's credentials fails before it touches
 * anything; tagging every resource through default_tags. Credentials are the
 * ambient ones unless the account names a CLI profile and/or a deploy role to
 * assume, which lets one `cdktf deploy '*'` reach both accounts.
 */
export function accountProvider(
  scope: Construct,
  alias: string,
  account: AccountConfig,
  tags: Readonly<Record<string, string>>,
): AwsProvider {
  const deployRole = account.assumeRole;
  return new AwsProvider(scope, "aws", {
    alias,
    region: account.region,
    allowedAccountIds: [account.accountId],
    profile: account.profile,
    assumeRole:
      deployRole === undefined
        ? undefined
        : [{ roleArn: deployRole.roleArn, sessionName: deployRole.sessionName, externalId: deployRole.externalId }],
    defaultTags: [{ tags: { ...tags } }],
  });
}
