/** The CLI's logger: messages on stderr (stdout carries tables and JSON), nothing with --quiet. */
import type { Logger } from '../logger.js';

/** A logger writing `info`/`warn` lines to stderr. */
export function createStderrLogger(isQuiet: boolean): Logger {
  return {
    info: (message) => {
      if (!isQuiet) process.stderr.write(`${message}\n`);
    },
    warn: (message) => {
      process.stderr.write(`warning: ${message}\n`);
    },
  };
}
