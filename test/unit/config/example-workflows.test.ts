/**
 * The example workflows users copy (`.github/workflows/examples/`) only pass inputs the action
 * declares: a renamed or removed input would otherwise reach users as a runner warning
 * ("Unexpected input") and a silently ignored setting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Step {
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
interface Workflow {
  readonly jobs: Readonly<Record<string, { readonly steps?: readonly Step[] }>>;
}

const EXAMPLES = new URL('../../../.github/workflows/examples/', import.meta.url);
const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, unknown>;
};
const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.yml'));

function ourSteps(file: string): Step[] {
  const workflow = parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Workflow;
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => step.uses?.includes('triton-throughput-gate') === true);
}

describe('example workflows', () => {
  it('include the sharded one', () => {
    expect(files).toContain('sharded.yml');
  });

  it.each(files)('%s: uses the action with declared inputs only', (file) => {
    const steps = ourSteps(file);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const unknown = Object.keys(step.with ?? {}).filter((name) => !Object.hasOwn(action.inputs, name));
      expect(unknown).toEqual([]);
    }
  });

  it('sharded.yml: shard steps write out, the merge step merges the downloaded directory', () => {
    const steps = ourSteps('sharded.yml');
    expect(steps.map((step) => step.with?.['mode'] ?? 'run')).toEqual(['run', 'merge']);
    expect(steps[0]?.with?.['out']).toBe('throughput-result.json');
    expect(steps[1]?.with?.['shard-results']).toBe('shard-results');
  });
});
