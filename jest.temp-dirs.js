// cdktf's Testing.app()/synthScope make a fresh cdktf.outdir.* folder in the
// temp folder per call and never remove it. globalSetup gives this run a
// private temp folder (TMPDIR, which os.tmpdir() reads and the test workers
// and child processes inherit); globalTeardown removes that folder whole. So a
// run leaves no litter and never touches another run's or another user's files.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const KEY = "CROSS_ACCOUNT_S3_JEST_TMPDIR";

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cross-account-s3-jest-"));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

function teardown() {
  const dir = process.env[KEY];
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
