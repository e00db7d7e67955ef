// cdktf's Testing.app()/synthScope make a fresh cdktf.outdir.* folder in the
// temp folder per call and never remove it. globalSetup gives this run a
// private temp folder (TMPDIR, which os.tmpdir() reads and the test workers
// and child processes inherit); globalTeardown removes that folder whole. So a
// run leaves no litter and never touches another run's or another user's files.
// In watch mode setup and teardown run again for every re-run, so the temp
// folder the run started with is remembered and restored.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const PRIVATE = "CROSS_ACCOUNT_S3_JEST_TMPDIR";
const ORIGINAL = "CROSS_ACCOUNT_S3_JEST_ORIGINAL_TMPDIR";

function setup() {
  if (process.env[ORIGINAL] === undefined) process.env[ORIGINAL] = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(process.env[ORIGINAL], "cross-account-s3-jest-"));
  process.env[PRIVATE] = dir;
  process.env.TMPDIR = dir;
}

function teardown() {
  const dir = process.env[PRIVATE];
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.CROSS_ACCOUNT_S3_JEST_TMPDIR;
  if (process.env[ORIGINAL] !== undefined) process.env.TMPDIR = process.env[ORIGINAL];
}

module.exports = { setup, teardown };
