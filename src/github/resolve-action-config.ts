/**
 * The Action's config-file step: like the CLI's `resolveConfigFile`, except that inputs which
 * run code on the runner may not come from the file. The file is repository content — in a
 * pull request, the author's — while `with:` inputs come from the workflow file (issue 6:
 * "the `command` strategy only ever comes from the workflow's inputs, never from repository
 * or PR content"; SECURITY.md).
 */
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import { Input, type InputName, type RawInputs } from '../config/inputs.js';
import { mergeRawInputs, readConfigFile } from '../config/load-config-file.js';

/** Inputs accepted only from the workflow file's `with:`. */
export const WORKFLOW_ONLY_INPUTS: readonly InputName[] = [Input.batchCommand];

/** Pure: one issue per workflow-only input found in the config file's raw inputs. */
export function workflowOnlyIssues(fileRaw: RawInputs, path: string): ConfigIssue[] {
  return WORKFLOW_ONLY_INPUTS.filter((name) => (fileRaw[name] ?? '') !== '').map((name) => ({
    input: name,
    // The command itself is not repeated: it is the untrusted part.
    value: `(set in config-file ${path})`,
    expected: "a value in the workflow file's `with:` only",
    hint: `it runs a shell command on the runner, and ${path} is repository content a pull request can change; move it to the workflow`,
  }));
}

/** Raw inputs with the config file merged under them; ConfigError for workflow-only keys in it. */
export async function resolveActionConfig(explicitRaw: RawInputs): Promise<RawInputs> {
  const path = explicitRaw[Input.configFile];
  if (path === undefined || path === '') return explicitRaw;
  const fileRaw = await readConfigFile(path);
  const issues = workflowOnlyIssues(fileRaw, path);
  if (issues.length > 0) throw new ConfigError(issues);
  return mergeRawInputs(fileRaw, explicitRaw);
}
