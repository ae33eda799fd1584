/**
 * The GitHub Action's input reader: the only file in `config/` that imports `@actions/*`
 * (docs/architecture.md#data-flow). It returns raw strings; `parseConfig` does all the judging.
 */
import { getInput } from '@actions/core';
import { ActionInput, INPUT_NAMES, type RawInputs, isAllowedFrom } from './inputs.js';

/**
 * Every `Input` as the runner passed it. Values are trimmed, as `getInput` does by default and
 * as every other action's inputs are (so a `|` block's trailing newline means nothing); an
 * empty value is left out, meaning "not given", so a config file's value is not shadowed.
 */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES.filter((input) => isAllowedFrom(input, 'action'))) {
    const value = getInput(name, { required: false, trimWhitespace: true });
    if (value !== '') raw[name] = value;
  }
  return raw;
}

/** The `github-token` input (not part of `Config`); `undefined` when empty. A secret. */
export function readGithubToken(): string | undefined {
  const token = getInput(ActionInput.githubToken, { required: false, trimWhitespace: true });
  return token === '' ? undefined : token;
}

/** The `mode` and `shard-results` inputs (not part of `Config`; parse-action-mode.ts judges them). */
export function readActionMode(): { mode: string | undefined; shardResults: string | undefined } {
  const read = (name: string): string | undefined => {
    const value = getInput(name, { required: false, trimWhitespace: true });
    return value === '' ? undefined : value;
  };
  return { mode: read(ActionInput.mode), shardResults: read(ActionInput.shardResults) };
}
