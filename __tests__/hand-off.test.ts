/**
 * The hand-off between the accounts: the accessor reads the target role ARN
 * from the owner's state through an explicit terraform_remote_state, whose
 * relative path names exactly the file the owner's local backend writes, and
 * declares its dependency on the owner stack. No cdktf implicit cross-stack
 * outputs, no hard-coded ARN, nothing that depends on the checkout folder.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { validConfig, OWNER_ACCOUNT, TARGET_ROLE } from "./helpers/config";
import { onlyResource, synthApp, SynthesizedApp, TfJson, TEST_PROJECT_ROOT } from "./helpers/synth";
import { list, parsePolicy } from "./helpers/policy";
import { HOOK_TIMEOUT_MS } from "./helpers/timeouts";

interface RemoteState {
  backend: string;
  config: { path: string };
}

const remoteStates = (json: TfJson) =>
  (json.data?.terraform_remote_state ?? {}) as unknown as Record<string, RemoteState>;
const localBackendPath = (json: TfJson) => (json.terraform?.backend?.local as { path: string } | undefined)?.path;

/** The stack folder cdktf runs terraform in: <outdir>/stacks/<id>. */
const stackDir = (root: string, outdir: string, stackId: string) => path.resolve(root, outdir, "stacks", stackId);

function expectPathsMeet(synth: SynthesizedApp, root: string, outdir: string) {
  const ownerPath = localBackendPath(synth.ownerJson)!;
  const remotePath = remoteStates(synth.accessorJson).bucket_owner_state!.config.path;
  for (const p of [ownerPath, remotePath]) {
    expect(path.isAbsolute(p)).toBe(false);
    expect(p).not.toContain("\\");
  }
  const ownerFile = path.resolve(stackDir(root, outdir, "bucket-owner"), ownerPath);
  const readFile = path.resolve(stackDir(root, outdir, "accessor"), remotePath);
  expect(readFile).toBe(ownerFile);
  return ownerFile;
}

describe("hand-off with the default local backend", () => {
  const synth = synthApp(validConfig());
  const config = validConfig();

  test("the accessor has exactly one terraform_remote_state, local, reading the owner's state file", () => {
    const states = remoteStates(synth.accessorJson);
    expect(Object.keys(states)).toEqual(["bucket_owner_state"]);
    expect(states.bucket_owner_state!.backend).toBe("local");
    expect(states.bucket_owner_state!.config).toEqual({ path: "../../../terraform.bucket-owner.tfstate" });
  });

  test("both paths are relative and name the same file: the owner's state in the project root", () => {
    const ownerFile = expectPathsMeet(synth, TEST_PROJECT_ROOT, "cdktf.out");
    expect(ownerFile).toBe(path.join(TEST_PROJECT_ROOT, "terraform.bucket-owner.tfstate"));
  });

  test("the accessor's own state is a different file next to it", () => {
    expect(localBackendPath(synth.accessorJson)).toBe("../../../terraform.accessor.tfstate");
  });

  test("the role ARN comes from the owner's target_role_arn output, which the owner stack defines", () => {
    const permission = parsePolicy(onlyResource(synth.accessorJson, "aws_iam_role_policy").policy).Statement[0]!;
    expect(list(permission.Resource)).toEqual([
      "${data.terraform_remote_state.bucket_owner_state.outputs.target_role_arn}",
    ]);
    expect(synth.ownerJson.output).toHaveProperty("target_role_arn");
    expect(synth.ownerJson.output!.target_role_arn!.value).toBe("${aws_iam_role.target_role.arn}");
  });

  test("the target role ARN is never hard-coded in the accessor stack", () => {
    expect(synth.accessorSynth).not.toContain(`arn:aws:iam::${OWNER_ACCOUNT}:role/${TARGET_ROLE}`);
    expect(synth.accessorSynth).not.toContain(`:role/${config.targetRoleName}`);
  });

  test("no cdktf implicit cross-stack references: no generated outputs or remote states", () => {
    expect(Object.keys(synth.ownerJson.output ?? {}).sort()).toEqual(["bucket_arn", "bucket_name", "target_role_arn"]);
    for (const json of [synth.ownerJson, synth.accessorJson]) {
      const text = JSON.stringify(json);
      expect(text).not.toMatch(/cross-stack-output|cross-stack-reference|cross_stack/);
    }
    expect(Object.keys(synth.accessorJson.data ?? {}).sort()).toEqual([
      "aws_availability_zones",
      "aws_ec2_instance_type_offerings",
      "aws_ssm_parameter",
      "aws_subnet",
      "terraform_remote_state",
    ]);
  });

  test("the accessor stack depends on the bucket owner stack", () => {
    expect(synth.accessor.dependencies.map((stack) => stack.node.id)).toEqual(["bucket-owner"]);
    expect(synth.owner.dependencies).toEqual([]);
  });
});

describe("hand-off paths wherever the output folder is", () => {
  test.each(["cdktf.out", "build/terraform", "./out", "../sibling-out"])("outdir %s", (outdir) => {
    const root = path.join(TEST_PROJECT_ROOT, "checkout");
    const synth = synthApp(validConfig(), { projectRoot: root, outdir });
    expectPathsMeet(synth, root, outdir);
  });

  test("an absolute outdir elsewhere on disk, with the real working directory as project root", () => {
    const outdir = mkdtempSync(path.join(tmpdir(), "hand-off-"));
    try {
      const synth = synthApp(validConfig(), { outdir, projectRoot: process.cwd() });
      const ownerFile = expectPathsMeet(synth, process.cwd(), outdir);
      expect(ownerFile).toBe(path.join(process.cwd(), "terraform.bucket-owner.tfstate"));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("hand-off in the synthesized output folder", () => {
  let outdir = "";
  let manifest: {
    stacks: Record<string, { dependencies: string[]; workingDirectory: string; synthesizedStackPath: string }>;
  };
  let written: Record<string, TfJson> = {};

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), "hand-off-synth-"));
    const synth = synthApp(validConfig(), { outdir, projectRoot: path.dirname(outdir) });
    synth.app.synth();
    manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    written = Object.fromEntries(
      Object.entries(manifest.stacks).map(([id, stack]) => [
        id,
        JSON.parse(readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8")) as TfJson,
      ]),
    );
  }, HOOK_TIMEOUT_MS);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }), HOOK_TIMEOUT_MS);

  test("the manifest lists the accessor's dependency on bucket-owner (cdktf deploy '*' applies the owner first)", () => {
    expect(manifest.stacks.accessor!.dependencies).toEqual(["bucket-owner"]);
    expect(manifest.stacks["bucket-owner"]!.dependencies).toEqual([]);
  });

  test("from the manifest's working directories, the two paths name one file", () => {
    const ownerPath = localBackendPath(written["bucket-owner"]!)!;
    const remotePath = remoteStates(written.accessor!).bucket_owner_state!.config.path;
    const ownerFile = path.resolve(outdir, manifest.stacks["bucket-owner"]!.workingDirectory, ownerPath);
    expect(path.resolve(outdir, manifest.stacks.accessor!.workingDirectory, remotePath)).toBe(ownerFile);
    expect(ownerFile).toBe(path.join(path.dirname(outdir), "terraform.bucket-owner.tfstate"));
  });

  test("the written owner stack has only its own three outputs", () => {
    expect(Object.keys(written["bucket-owner"]!.output ?? {}).sort()).toEqual([
      "bucket_arn",
      "bucket_name",
      "target_role_arn",
    ]);
  });
});

test("the synthesized JSON does not depend on the checkout folder", () => {
  const a = synthApp(validConfig(), {
    projectRoot: path.join(TEST_PROJECT_ROOT, "home/alice/src/cross-account-s3-access"),
  });
  const b = synthApp(validConfig(), { projectRoot: path.join(TEST_PROJECT_ROOT, "ci/build-42/checkout") });
  expect(a.ownerSynth).toBe(b.ownerSynth);
  expect(a.accessorSynth).toBe(b.accessorSynth);
});
