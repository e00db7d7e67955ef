/**
 * The AWS CLI profile written on the instance (lib/cli-profile.ts):
 * role_arn + credential_source = Ec2InstanceMetadata, no secrets, and user
 * data that writes it for root and ec2-user without duplicating it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cliProfileText, cliProfileUserData, verifyCommands } from "../lib/cli-profile";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

const PROPS = {
  profileName: "shared-data",
  targetRoleArn: "arn:aws:iam::111122223333:role/shared-data-reader",
  region: "eu-west-1",
  sessionName: "client-instance",
};

const SECRETS = /aws_access_key_id|aws_secret_access_key|aws_session_token|source_profile/;

describe("cliProfileText", () => {
  const text = cliProfileText(PROPS);

  test("is exactly the profile section for the chain", () => {
    expect(text).toBe(
      [
        "[profile shared-data]",
        "role_arn = arn:aws:iam::111122223333:role/shared-data-reader",
        "credential_source = Ec2InstanceMetadata",
        "role_session_name = client-instance",
        "region = eu-west-1",
        "",
      ].join("\n"),
    );
  });

  test("holds no keys and no source_profile", () => {
    expect(text).not.toMatch(SECRETS);
  });

  test("a Terraform reference as role ARN is kept verbatim", () => {
    const ref = "${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}";
    expect(cliProfileText({ ...PROPS, targetRoleArn: ref })).toContain(`role_arn = ${ref}\n`);
  });
});

describe("verifyCommands", () => {
  test("are get-caller-identity and an ls of the bucket, both with the profile", () => {
    expect(verifyCommands("shared-data", "example-bucket")).toEqual([
      "aws sts get-caller-identity --profile shared-data",
      "aws s3 ls s3://example-bucket --profile shared-data",
    ]);
  });
});

describe("cliProfileUserData", () => {
  const script = cliProfileUserData(PROPS);

  test("is a bash script that contains the profile text in a quoted here-document", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("<<'PROFILE'\n" + cliProfileText(PROPS) + "PROFILE\n");
    expect(script).not.toMatch(SECRETS);
  });

  test("parses as bash", () => {
    expect(() => execFileSync("bash", ["-n"], { input: script })).not.toThrow();
  });

  describe("run against temporary home folders", () => {
    let root = "";
    let homes: string[] = [];
    const run = () => {
      const local = script.replace(
        "for home in /root /home/ec2-user /etc/skel; do",
        `for home in ${homes.join(" ")}; do`,
      );
      expect(local).not.toBe(script);
      execFileSync("bash", ["-c", local]);
    };
    const configOf = (home: string) => readFileSync(path.join(home, ".aws", "config"), "utf8");

    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), "cli-profile-"));
      homes = [path.join(root, "root"), path.join(root, "ec2-user"), path.join(root, "skel")];
      for (const home of homes) mkdirSync(home);
    }, HOOK_TIMEOUT_MS);
    afterEach(() => rmSync(root, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

    test("writes the profile for every home, with a private config file", () => {
      run();
      for (const home of homes) {
        expect(configOf(home)).toBe(cliProfileText(PROPS));
        const mode = execFileSync("stat", ["-c", "%a", path.join(home, ".aws", "config")])
          .toString()
          .trim();
        expect(mode).toBe("600");
      }
    });

    test("running it again does not duplicate the profile, and keeps other profiles before it", () => {
      const other = "[profile other]\nregion = us-east-1\n\n";
      mkdirSync(path.join(homes[0]!, ".aws"));
      writeFileSync(path.join(homes[0]!, ".aws", "config"), other);
      run();
      run();
      expect(configOf(homes[0]!)).toBe(other + cliProfileText(PROPS));
      expect(configOf(homes[1]!)).toBe(cliProfileText(PROPS));
    });

    test("running it again keeps a profile added after ours, and replaces only ours", () => {
      run();
      const later = "[profile later]\nregion = us-east-1\n";
      writeFileSync(path.join(homes[0]!, ".aws", "config"), configOf(homes[0]!) + later);
      run();
      expect(configOf(homes[0]!)).toBe(later + cliProfileText(PROPS));
    });
  });
});
