"use strict";
/**
 * Stands in for `archiver` inside cdktf until a zip is actually made.
 *
 * cdktf's index loads archiver (the zip support of TerraformAsset) eagerly, and
 * with it streams, globbing and compression libraries: about half of the
 * modules cdktf loads (383 of them with archiver, 181 without), on every synth
 * and again in every jest suite (each suite has its own module registry). Yet
 * cdktf never zips in the process that synthesizes: TerraformAsset runs
 * cdktf/lib/private/fs.js as a script in a child `node` process, which loads
 * archiver itself. Should cdktf ever call it in-process, the first call loads
 * cdktf's own archiver (a bundled dependency of cdktf, so always at
 * node_modules/cdktf/node_modules/archiver) and hands the call on.
 *
 * Used by the app's loader (sucrase-cached-register.js redirects cdktf's
 * `require("archiver")` here) and by jest (jest.config.js moduleNameMapper).
 */
const path = require("node:path");

const ARCHIVER = path.join(path.dirname(require.resolve("cdktf/package.json")), "node_modules", "archiver");

/** @type {Function | undefined} */
let archiver;
const load = () => (archiver ??= require(ARCHIVER));

module.exports = new Proxy(function archiverOnFirstUse() {}, {
  apply: (_target, self, args) => Reflect.apply(load(), self, args),
  get: (_target, key) => Reflect.get(load(), key),
});
