import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { actionYmlWithInputs, inputsMarkdown } from '../../../scripts/generate-inputs.js';
import { ACTION_ONLY_INPUTS, INPUT_NAMES, isAllowedFrom } from '../../../src/config/inputs.js';

interface ActionSpec {
  readonly name: string;
  readonly description: string;
  readonly runs: { readonly using: string; readonly main: string };
  readonly branding: { readonly icon: string; readonly color: string };
  readonly inputs: Readonly<Record<string, { readonly default?: string }>>;
  readonly outputs: Readonly<Record<string, { readonly description?: string }>>;
}

const text = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const actionText = text('action.yml');
const action = parse(actionText) as ActionSpec;

// docs/architecture.md#config: inputs are declared once (src/config/inputs.ts); action.yml's
// inputs and docs/inputs.md are generated from the declarations (npm run generate:inputs).
describe('what the input declarations generate', () => {
  it('action.yml has the inputs block the declarations generate', () => {
    expect(actionText).toBe(actionYmlWithInputs(actionText));
  });

  it('docs/inputs.md is the table the declarations generate', () => {
    expect(text('docs/inputs.md')).toBe(inputsMarkdown());
  });

  it('action.yml declares the inputs an Action may set, then the action-only ones, in declaration order', () => {
    const fromAction = INPUT_NAMES.filter((name) => isAllowedFrom(name, 'action'));
    expect(Object.keys(action.inputs)).toEqual([...fromAction, ...ACTION_ONLY_INPUTS]);
  });

  it('only github-token has a default (any other would shadow the same config-file key)', () => {
    const withDefault = Object.entries(action.inputs).filter(([, input]) => input.default !== undefined);
    expect(withDefault).toEqual([
      ['github-token', { description: expect.any(String) as string, required: false, default: '${{ github.token }}' }],
    ]);
  });
});

describe('action.yml', () => {
  it('runs dist/index.js on node24 with its name and branding', () => {
    expect(action.name).toBe('Triton Throughput Gate');
    expect(action.description).toMatch(/Triton/);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toEqual({ icon: 'activity', color: 'green' });
  });

  it('declares the outputs verdict, regressed-cells, latency-regressed-cells, gate-metric, recommendation, result-json and report-markdown', () => {
    expect(Object.keys(action.outputs)).toEqual([
      'verdict',
      'regressed-cells',
      'latency-regressed-cells',
      'gate-metric',
      'recommendation',
      'result-json',
      'report-markdown',
    ]);
    expect(action.outputs.recommendation?.description).toContain('fromJSON()');
    expect(action.outputs.verdict?.description).toContain('pass, regression, failure, or calibrating');
    expect(action.outputs['regressed-cells']?.description).toContain('MBxU');
  });
});
