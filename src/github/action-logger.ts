/**
 * The Action's Logger (logger.ts): info lines to the job log, warnings as `::warning::`
 * annotations (shown on the run's summary page, where a fork PR's author looks for the missing
 * comment). Text may carry server messages: a line starting with `::` would be read by the
 * runner as a workflow command, so such lines are defused.
 */
import { debug, info, warning } from '@actions/core';
import type { Logger } from '../logger.js';

/** `message` with no line the runner would take for a workflow command. */
export function defuseWorkflowCommands(message: string): string {
  return message.replace(/^(\s*)::/gm, '$1: :');
}

/** A Logger on `@actions/core`. */
export function createActionLogger(): Logger {
  return {
    info: (message) => {
      info(defuseWorkflowCommands(message));
    },
    // `warning` escapes newlines itself (one annotation per call).
    warn: (message) => {
      warning(message);
    },
    debug: (message) => {
      debug(defuseWorkflowCommands(message));
    },
  };
}
