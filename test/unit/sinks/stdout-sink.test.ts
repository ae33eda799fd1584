// The stdout sink of `run`: with a baseline it shows what the gate compared, cell by cell, as
// `compare` does, so a CLI user of gate-metric responses can see the verdicts were on responses/s.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawInputs } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import type { RunResult } from '../../../src/model/run-result.js';
import { evaluateRun } from '../../../src/pipeline.js';
import { createStdoutSink } from '../../../src/sinks/stdout-sink.js';

const NO_STORED_RUNS = { runs: [], selectedBy: 'none', history: [], notes: [] };

async function printed(fixture: string, inputs: RawInputs = {}, isQuiet = false): Promise<string> {
  const parsed = JSON.parse(readFileSync(new URL(`../../fixtures/${fixture}`, import.meta.url), 'utf8')) as
    RunResult | { readonly run: RunResult };
  // Stored-mode fixtures hold { run, ... }; paired ones are the run itself.
  const run = 'run' in parsed ? parsed.run : parsed;
  const config = parseConfig({
    model: run.environment.model,
    'baseline-model': 'demo_base',
    'max-batch': '8,16',
    ...inputs,
  });
  let text = '';
  const sink = createStdoutSink({
    write: (chunk) => {
      text += chunk;
    },
    isQuiet,
  });
  await sink.publish(evaluateRun(run, NO_STORED_RUNS, config));
  return text;
}

describe('createStdoutSink', () => {
  it('prints the verdict table of a paired run, on responses/s with gate-metric responses', async () => {
    const text = await printed('paired-responses.json', { 'gate-metric': 'responses' });
    expect(text).toContain('Change of median responses/s (gate-metric: responses) vs baseline');
    // The table comes before the counts line and the verdict.
    expect(text.indexOf('Change of median')).toBeLessThan(text.indexOf('Compared with baseline'));
    expect(text.trimEnd().endsWith('verdict: regression')).toBe(true);
  });

  it('prints the verdict table on dps by default', async () => {
    const text = await printed('paired.json');
    expect(text).toContain('Change of median dps vs baseline');
  });

  it('prints no verdict table without a baseline, and only the verdict line when quiet', async () => {
    expect(await printed('no-baseline.json', { 'baseline-model': '' })).not.toContain('Change of median');
    expect(await printed('paired.json', {}, true)).toBe('verdict: regression\n');
  });
});
