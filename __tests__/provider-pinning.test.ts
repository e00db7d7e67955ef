/**
 * Provider pinning: each stack owns one aliased AWS provider with its
 * account's region, allowed_account_ids = that account, and default_tags;
 * every resource and data source names its stack's provider explicitly.
 */
import "cdktf/lib/testing/adapters/jest";
import "./helpers/matchers";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { validConfig, ACCESSOR_ACCOUNT, OWNER_ACCOUNT } from "./helpers/config";
import { allBlocks, synthApp, TfJson } from "./helpers/synth";

const providersOf = (json: TfJson) => json.provider?.aws ?? [];

describe("provider pinning", () => {
  const synth = synthApp(
    validConfig({
      bucketOwner: { region: "eu-west-1" },
      accessor: { region: "us-east-2" },
      tags: { team: "data-platform", Project: "shared-data" },
    }),
  );
  const stacks = [
    {
      name: "bucket-owner",
      json: synth.ownerJson,
      text: synth.ownerSynth,
      alias: "bucket_owner",
      account: OWNER_ACCOUNT,
      region: "eu-west-1",
    },
    {
      name: "accessor",
      json: synth.accessorJson,
      text: synth.accessorSynth,
      alias: "accessor",
      account: ACCESSOR_ACCOUNT,
      region: "us-east-2",
    },
  ];

  describe.each(stacks)("$name stack", ({ json, text, alias, account, region }) => {
    test("has exactly one provider block, the aws provider, aliased", () => {
      expect(Object.keys(json.provider ?? {})).toEqual(["aws"]);
      expect(providersOf(json)).toHaveLength(1);
      expect(providersOf(json)[0]!.alias).toBe(alias);
    });

    test("pins region and allowed_account_ids to this stack's account", () => {
      expect(text).toHaveProviderWithProperties(AwsProvider, { alias, region, allowed_account_ids: [account] });
      expect(providersOf(json)[0]!.allowed_account_ids).toEqual([account]);
    });

    test("tags every resource through default_tags, config tags over the defaults", () => {
      expect(providersOf(json)[0]!.default_tags).toEqual([
        { tags: { ManagedBy: "cdktf", Project: "shared-data", team: "data-platform" } },
      ]);
    });

    test("every resource and data source names this stack's provider alias", () => {
      // terraform_remote_state and terraform_data are Terraform built-ins: they reach no AWS account.
      const blocks = allBlocks(json).filter(
        ([address]) => !address.startsWith("data.terraform_remote_state.") && !address.startsWith("terraform_data."),
      );
      expect(blocks.length).toBeGreaterThan(3);
      for (const [address, body] of blocks) {
        expect([address, body.provider]).toEqual([address, `aws.${alias}`]);
      }
    });

    test("declares the aws provider requirement", () => {
      expect(json.terraform?.required_providers).toHaveProperty("aws");
    });
  });

  test("the two stacks use different aliases, so no resource can reach the wrong account by default", () => {
    expect(providersOf(synth.ownerJson)[0]!.alias).not.toBe(providersOf(synth.accessorJson)[0]!.alias);
  });

  test("default tags come from the defaults when the config has none", () => {
    const plain = synthApp(validConfig());
    expect(providersOf(plain.ownerJson)[0]!.default_tags).toEqual([
      { tags: { ManagedBy: "cdktf", Project: "cross-account-s3-access" } },
    ]);
  });
});
