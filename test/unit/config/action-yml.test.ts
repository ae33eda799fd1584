import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ACTION_ONLY_INPUT_DOCS, INPUT_DOCS, type InputDoc, defaultText } from '../../../src/config/input-docs.js';
import { ACTION_ONLY_INPUTS, ActionInput, INPUT_NAMES } from '../../../src/config/inputs.js';

interface ActionInputSpec {
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: string;
}
interface ActionSpec {
  readonly name: string;
  readonly description: string;
  readonly runs: { readonly using: string; readonly main: string };
  readonly branding: { readonly icon: string; readonly color: string };
  readonly inputs: Readonly<Record<string, ActionInputSpec>>;
  readonly outputs: Readonly<Record<string, { readonly description?: string }>>;
}

// docs/architecture.md#config: input names are declared once (src/config/inputs.ts) and checked against action.yml.
const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as ActionSpec;
const DOCS: Readonly<Record<string, InputDoc>> = { ...INPUT_DOCS, ...ACTION_ONLY_INPUT_DOCS };

describe('action.yml', () => {
  it('runs dist/index.js on node24 with its name and branding', () => {
    expect(action.name).toBe('Triton Throughput Gate');
    expect(action.description).toMatch(/Triton/);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toEqual({ icon: 'activity', color: 'green' });
  });

  it('declares exactly the Input names plus the action-only inputs, in declaration order', () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES, ...ACTION_ONLY_INPUTS]);
  });

  it.each(Object.keys(action.inputs))('%s: has no default unless it is github-token', (name) => {
    const spec = action.inputs[name];
    if (name === ActionInput.githubToken) expect(spec?.default).toBe('${{ github.token }}');
    else expect(spec).not.toHaveProperty('default');
  });

  it.each(Object.keys(action.inputs))('%s: description states the input-docs description and default', (name) => {
    const description = action.inputs[name]?.description ?? '';
    const doc = DOCS[name];
    if (doc === undefined) expect.fail(`no input-docs entry for ${name}`);
    // action.yml starts sentences with a capital; input-docs lines start in lower case for CLI help.
    expect(description.toLowerCase()).toContain(doc.description.toLowerCase());
    expect(description).toContain(defaultText(doc));
  });

  it('declares the outputs verdict, regressed-cells, result-json and report-markdown', () => {
    expect(Object.keys(action.outputs)).toEqual(['verdict', 'regressed-cells', 'result-json', 'report-markdown']);
    expect(action.outputs.verdict?.description).toContain('pass, regression, failure, or calibrating');
    expect(action.outputs['regressed-cells']?.description).toContain('MBxU');
  });
});
