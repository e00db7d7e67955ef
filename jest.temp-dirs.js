// cdktf's Testing.app()/synthScope make a fresh /tmp/cdktf.outdir.* folder per
// call and never remove it. globalSetup notes the time; globalTeardown removes
// the folders created since, so a test run leaves no litter behind.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const PREFIX = "cdktf.outdir.";
const MARK = path.join(os.tmpdir(), "cross-account-s3-jest-start");

function setup() {
  fs.writeFileSync(MARK, String(Date.now()));
}

function teardown() {
  const started = Number(fs.existsSync(MARK) ? fs.readFileSync(MARK, "utf8") : Date.now());
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const folder = path.join(os.tmpdir(), name);
    try {
      if (fs.statSync(folder).mtimeMs >= started - 1000) fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
  fs.rmSync(MARK, { force: true });
}

module.exports = { setup, teardown };
