import { describe, expect, it } from 'vitest';
import { resolveRunnerLabel } from '../../../src/config/runner-label.js';
import { parseConfig } from '../../../src/config/parse-config.js';

describe('resolveRunnerLabel', () => {
  it('prefers the runner-label input, and says TTG_LABEL is ignored when both are set', () => {
    expect(resolveRunnerLabel('a100-pool', 'runner-7', undefined)).toEqual({ label: 'a100-pool' });
    expect(resolveRunnerLabel('a100-pool', 'old', 'old')).toEqual({
      label: 'a100-pool',
      warning: "TTG_LABEL is ignored: the runner-label input 'a100-pool' is set",
    });
  });

  it('keeps TTG_LABEL working as a deprecated fallback, with a warning', () => {
    expect(resolveRunnerLabel(undefined, 'old', 'old')).toEqual({
      label: 'old',
      warning: 'TTG_LABEL is deprecated: set the runner-label input instead (same meaning)',
    });
    expect(resolveRunnerLabel(undefined, 'runner-7', '  ')).toEqual({ label: 'runner-7' });
  });

  it('is parsed as an optional input', () => {
    expect(parseConfig({ model: 'm', 'runner-label': 'a100-pool' }).runnerLabel).toBe('a100-pool');
    expect(parseConfig({ model: 'm' }).runnerLabel).toBeUndefined();
  });
});
