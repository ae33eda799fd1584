#!/usr/bin/env node
/** CLI entry: the whole CLI lives in cli/cli-main.ts; this file only sets the exit code. */
import { main } from './cli/cli-main.js';

process.exitCode = await main(process.argv.slice(2));
