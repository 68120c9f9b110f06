#!/usr/bin/env node
// The `genesys-cloud-sdk` command (package.json "bin"). Built as its own tsup entry: the runtime bundle never loads it.
import { runCli } from "./codegen/cli.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
