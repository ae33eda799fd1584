/** Test helper: the issues `parseConfig` reports for `raw` (with a valid model unless given). */
import { expect } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../../src/config/config-error.js';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';

/** Every issue of `raw` merged over `{ model: 'resnet' }`; fails the test when parsing succeeds. */
export function issuesOf(raw: RawInputs): readonly ConfigIssue[] {
  return configErrorOf(() => parseConfig({ model: 'resnet', ...raw })).issues;
}

/** The `ConfigError` thrown by `run`; fails the test when it returns or throws something else. */
export function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigError);
    if (error instanceof ConfigError) return error;
  }
  expect.fail('expected a ConfigError');
}

/** The single issue about `input`; fails the test when there is not exactly one. */
export function issueFor(issues: readonly ConfigIssue[], input: string): ConfigIssue {
  const matching = issues.filter((issue) => issue.input === input);
  expect(matching, `issues: ${JSON.stringify(issues)}`).toHaveLength(1);
  const [issue] = matching;
  if (issue === undefined) expect.fail(`no issue for ${input}`);
  return issue;
}
