/**
 * Inputs a config file may not set (issue 6, SECURITY.md). A `config-file` lives in the
 * repository under test, so in a pull request it is the author's content; `batch-strategy:
 * command` with `batch-command` runs a shell command on the runner. So the command strategy
 * only ever comes from the workflow's `with:` (or the CLI's own flags), never from a file.
 * Pure; `readConfigFile` applies it to every file it reads.
 */
import type { ConfigIssue } from './config-error.js';
import { Input, type RawInputs } from './inputs.js';

/** The strategy value that runs a command; refused from a file even without a command. */
const COMMAND_STRATEGY = 'command';

function why(path: string): string {
  return `${path} is repository content that a pull request can change, and this runs a shell command on the runner; set it in the workflow's with: (or as a CLI flag)`;
}

/**
 * One issue per command-strategy input found in a config file's raw inputs. The command text
 * is never repeated: it is the untrusted part, and it may hold secrets.
 */
export function workflowOnlyFileIssues(fileRaw: RawInputs, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (fileRaw[Input.batchStrategy] === COMMAND_STRATEGY) {
    issues.push({
      input: Input.batchStrategy,
      value: COMMAND_STRATEGY,
      expected: "reload, models or fixed in a config file ('command' only from the workflow or the command line)",
      hint: why(path),
    });
  }
  if ((fileRaw[Input.batchCommand] ?? '') !== '') {
    issues.push({
      input: Input.batchCommand,
      value: `(set in config-file ${path})`,
      expected: 'no batch-command in a config file',
      hint: why(path),
    });
  }
  return issues;
}
