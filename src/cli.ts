#!/usr/bin/env node
/** CLI entry: the whole CLI lives in cli/cli-main.ts; this file only sets the exit code. */
import { main } from './cli/cli-main.js';
import { endIfLingering } from './control/end-process.js';

process.exitCode = await main(process.argv.slice(2));
// Everything is printed: a connection to a stalled server must not keep the process alive (end-process.ts).
endIfLingering(import.meta.url);
