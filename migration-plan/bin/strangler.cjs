#!/usr/bin/env node
"use strict";
// The `strangler` CLI: TypeScript run through tsx's require hook, so `npx strangler` needs no build.
require("tsx/cjs");
require("../src/cli/strangler-cli.ts");
