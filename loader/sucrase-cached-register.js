"use strict";
/**
 * The app command's TypeScript loader (cdktf.json: `node -r ./loader/sucrase-cached-register.js main.ts`):
 * a drop-in for `node -r sucrase/register` whose transforms are cached on disk.
 * Types are not checked here; `tsc --noEmit` does that in `npm test`.
 *
 * Why: under `sucrase/register` about 40% of the app's time is sucrase itself:
 * loading it (~100 ms) and transforming every .ts file on every run while its
 * code is still cold in V8 (~150-250 ms on a loaded 2-core machine). The output
 * of a transform depends only on the sucrase version, its options, the file
 * name and the file's text, so it is cached under the hash of exactly those:
 * an edited file has a new hash and is transformed again. Nothing can run
 * stale code, there is no build step to forget, and sucrase is only loaded
 * when some file changed. Same transforms and source maps as sucrase/register.
 * Cache: node_modules/.cache/sucrase-register (safe to delete at any time).
 *
 * It also defers cdktf's archiver until a zip is made (archiver-on-first-use.js).
 */
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const sucrasePackage = require.resolve("sucrase/package.json");
const SUCRASE_VERSION = require(sucrasePackage).version;
/** sucrase/register's options for .ts files. */
const OPTIONS = { transforms: ["imports", "typescript"] };
const CACHE_DIR = path.join(path.dirname(sucrasePackage), "..", ".cache", "sucrase-register");

/** @type {typeof import("sucrase") | undefined} */
let sucrase;

/** sucrase/register's output for one file: the code and an inline source map. */
function transform(source, filename) {
  sucrase ??= require("sucrase");
  const result = sucrase.transform(source, {
    ...OPTIONS,
    filePath: filename,
    sourceMapOptions: { compiledFilename: filename },
  });
  const map = Buffer.from(JSON.stringify(result.sourceMap)).toString("base64");
  return `${result.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
}

function cachedTransform(source, filename) {
  const key = createHash("sha256")
    .update(JSON.stringify([SUCRASE_VERSION, OPTIONS, filename, source]))
    .digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const code = transform(source, filename);
    try {
      // Write then rename, so a concurrent run never reads a half-written file.
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, cached);
    } catch {
      // A read-only or full disk only costs speed.
    }
    return code;
  }
}

Module._extensions[".ts"] = function compileTypeScript(module, filename) {
  module._compile(cachedTransform(fs.readFileSync(filename, "utf8"), filename), filename);
};

// cdktf's own `require("archiver")` gets the stand-in that loads archiver on first use (archiver-on-first-use.js).
const CDKTF_LIB = path.join(path.dirname(require.resolve("cdktf/package.json")), "lib") + path.sep;
const ARCHIVER_ON_FIRST_USE = path.join(__dirname, "archiver-on-first-use.js");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveArchiverOnFirstUse(request, parent, ...rest) {
  if (request === "archiver" && parent?.filename?.startsWith(CDKTF_LIB)) return ARCHIVER_ON_FIRST_USE;
  return resolveFilename.call(this, request, parent, ...rest);
};
