#!/usr/bin/env node
// Owns the process entry point of `ocre`: runs the CLI and exits with its code.
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));
// Everything is stopped by now; if a stray handle (a user container's timer) would keep the
// process alive, end it rather than hang.
setTimeout(() => process.exit(), 1000).unref();
