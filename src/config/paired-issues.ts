/**
 * Cross-field rules of paired mode (docs/statistics.md, "Paired mode"). Each rule runs only
 * when the inputs it reads are valid, so one typo yields one issue.
 */
import type { Config } from './config.js';
import type { ConfigIssue } from './config-error.js';
import type { FieldReader } from './field-reader.js';
import { INPUT_DOCS } from './input-docs.js';
import { Input, type InputName } from './inputs.js';

/** Every paired-mode issue of `config`, in a stable order. */
export function pairedIssues(config: Config, fields: FieldReader): ConfigIssue[] {
  return [...roundIssues(config, fields), ...baseIssues(config, fields), ...repositoryIssues(config, fields)];
}

function issue(fields: FieldReader, input: InputName, expected: string, hint?: string): ConfigIssue {
  const isDefault = fields.given(input) === undefined && INPUT_DOCS[input].default !== undefined;
  const hints = [hint, isDefault ? `${input} is not set, so its default applies` : undefined].filter(
    (part): part is string => part !== undefined,
  );
  const base = { input, value: fields.rawText(input), expected };
  return hints.length === 0 ? base : { ...base, hint: hints.join('; ') };
}

function roundIssues({ paired }: Config, fields: FieldReader): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (paired.base === undefined) {
    // Rounds mean nothing in stored mode: refusing them catches a forgotten baseline-model.
    for (const input of [Input.minRounds, Input.maxRounds]) {
      if (fields.given(input) !== undefined && fields.isValid(input)) {
        const hint = 'rounds are used by paired mode only; set baseline-model, baseline-server-url or model-repository';
        issues.push(issue(fields, input, `no ${input} without a base side`, hint));
      }
    }
    return issues;
  }
  if (fields.isValid(Input.minRounds, Input.maxRounds) && paired.minRounds > paired.maxRounds) {
    const expected = `>= min-rounds (${paired.minRounds})`;
    issues.push(issue(fields, Input.maxRounds, expected));
  }
  return issues;
}

function baseIssues({ paired, matrix, server, control }: Config, fields: FieldReader): ConfigIssue[] {
  const base = paired.base;
  if (base === undefined || !fields.isValid(Input.baselineModel, Input.baselineServerUrl)) return [];
  const issues: ConfigIssue[] = [];
  const isSameServer = base.server.address === server.address && base.server.isTls === server.isTls;
  if (isSameServer && base.model === matrix.model && fields.given(Input.baselineModel) !== undefined) {
    const hint = 'the base version must be served under another name, or on baseline-server-url';
    issues.push(issue(fields, Input.baselineModel, `a model other than '${matrix.model}' on the same server`, hint));
  }
  if (fields.isValid(Input.batchStrategy) && control.strategy === 'models') {
    const hint = 'paired mode puts both sides at each max_batch with batch-strategy reload, command or fixed';
    issues.push(issue(fields, Input.batchStrategy, 'reload, command or fixed in paired mode', hint));
  }
  return issues;
}

/** `model-repository` and `baseline-ref` (docs/paired.md, "Zero-config base"). */
function repositoryIssues({ paired, control }: Config, fields: FieldReader): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const isRepositoryGiven = fields.given(Input.modelRepository) !== undefined && fields.isValid(Input.modelRepository);
  const namedBase = [Input.baselineModel, Input.baselineServerUrl].find((input) => fields.given(input) !== undefined);
  if (isRepositoryGiven && namedBase !== undefined) {
    const hint = `model-repository loads the base version itself, ${namedBase} names one already served: give one of them`;
    issues.push(issue(fields, Input.modelRepository, `no model-repository with ${namedBase}`, hint));
  }
  if (
    fields.given(Input.baselineRef) !== undefined &&
    fields.isValid(Input.baselineRef) &&
    fields.given(Input.modelRepository) === undefined
  ) {
    const hint = 'baseline-ref says at which commit model-repository is read; set model-repository too';
    issues.push(issue(fields, Input.baselineRef, 'no baseline-ref without model-repository', hint));
  }
  if (
    paired.base?.fromRepository !== undefined &&
    fields.isValid(Input.batchStrategy) &&
    control.strategy === 'command'
  ) {
    const hint = "the run loads '<model>__base' from the base commit's files itself, which batch-command cannot change";
    issues.push(issue(fields, Input.batchStrategy, 'reload or fixed with model-repository', hint));
  }
  return issues;
}
