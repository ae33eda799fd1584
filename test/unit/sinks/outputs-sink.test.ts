import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ActionOutput,
  createOutputsSink,
  OUTPUT_NAMES,
  outputPathsOf,
  verdictOutputsOf,
} from '../../../src/sinks/outputs-sink.js';
import { withRecommendation } from '../../../src/analysis/recommend.js';
import { pipelineResult } from '../github/github-fixtures.js';

const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as {
  outputs: Record<string, unknown>;
};

describe('the step outputs', () => {
  it('are exactly the outputs action.yml declares', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES]);
  });

  it('verdict and regressed-cells come from the gate, the recommendation from the run, as one line of JSON', () => {
    const typical = verdictOutputsOf(pipelineResult('typical'));
    expect(typical).toMatchObject({ verdict: 'regression', 'regressed-cells': '32x8,64x9' });
    expect(verdictOutputsOf(pipelineResult('no-baseline'))).toMatchObject({ verdict: 'pass', 'regressed-cells': '' });
    expect(typical.recommendation).not.toContain('\n');
    const recommendation = JSON.parse(typical.recommendation) as { perUsers: { users: number; maxBatch: number }[] };
    expect(recommendation.perUsers.map((choice) => choice.users)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('recommendation carries the budget answer the pipeline computed', () => {
    const result = pipelineResult('typical');
    const run = withRecommendation(result.run, { ms: 12, percentile: 'p99' });
    const parsed = JSON.parse(verdictOutputsOf({ ...result, run }).recommendation) as {
      budget: { budget: { ms: number }; overall: { maxBatch: number; users: number } };
    };
    expect(parsed.budget.budget.ms).toBe(12);
    // In the typical fixture, 64 × 8 has the most dps (971) with p99 at most 12 ms (11.7).
    expect(parsed.budget.overall).toMatchObject({ maxBatch: 64, users: 8 });
  });

  it('gate-metric says what the verdicts compared: dps unless the comparison was on responses/s', () => {
    const result = pipelineResult('typical');
    expect(verdictOutputsOf(result)['gate-metric']).toBe('dps');
    const onResponses = { ...result, comparison: { ...result.comparison, gateMetric: 'responses' as const } };
    expect(verdictOutputsOf(onResponses)['gate-metric']).toBe('responses');
  });

  it('latency-regressed-cells comes from the gate, empty while the latency gate is off', () => {
    expect(verdictOutputsOf(pipelineResult('typical'))['latency-regressed-cells']).toBe('');
    const withLatency = pipelineResult('typical');
    const gate = { ...withLatency.gate, latencyRegressedCells: ['8x2', '16x4'] };
    expect(verdictOutputsOf({ ...withLatency, gate })['latency-regressed-cells']).toBe('8x2,16x4');
  });

  it('files live under RUNNER_TEMP, one directory per key, the key made a safe path segment', () => {
    expect(outputPathsOf('/tmp/r', 'resnet50')).toEqual({
      resultJson: join('/tmp/r', 'triton-throughput-gate', 'resnet50', 'result.json'),
      reportMarkdown: join('/tmp/r', 'triton-throughput-gate', 'resnet50', 'report.md'),
    });
    expect(outputPathsOf('/tmp/r', '../../etc/x').resultJson).toBe(
      join('/tmp/r', 'triton-throughput-gate', '%2E.%2F..%2Fetc%2Fx', 'result.json'),
    );
    expect(outputPathsOf('/tmp/r', 'k'.repeat(300)).resultJson).toMatch(
      /triton-throughput-gate\/sha256-[0-9a-f]{64}\/result\.json$/,
    );
    expect(outputPathsOf('/tmp/r', 'demo', 'out/run.json').resultJson).toBe('out/run.json');
  });

  it('sets the verdict first, then writes the RunResult and the report and sets their paths', async () => {
    const calls: string[] = [];
    const files = new Map<string, string>();
    const sink = createOutputsSink({
      paths: { resultJson: '/t/result.json', reportMarkdown: '/t/report.md' },
      setOutput: (name, value) => calls.push(`${name}=${value}`),
      writeTextFile: (path, text) => {
        calls.push(`write ${path}`);
        files.set(path, text);
        return Promise.resolve();
      },
    });
    const result = pipelineResult('typical');
    await sink.publish(result);
    expect(calls).toEqual([
      'verdict=regression',
      'regressed-cells=32x8,64x9',
      'latency-regressed-cells=',
      'gate-metric=dps',
      `recommendation=${verdictOutputsOf(result).recommendation}`,
      'write /t/result.json',
      `${ActionOutput.resultJson}=/t/result.json`,
      'write /t/report.md',
      `${ActionOutput.reportMarkdown}=/t/report.md`,
    ]);
    expect(JSON.parse(files.get('/t/result.json') ?? '')).toEqual(JSON.parse(JSON.stringify(result.run)));
    expect(files.get('/t/report.md')).toBe(result.report.markdown);
  });

  it('a failing disk still leaves verdict, regressed-cells and latency-regressed-cells set', async () => {
    const set: string[] = [];
    const sink = createOutputsSink({
      paths: { resultJson: '/t/result.json', reportMarkdown: '/t/report.md' },
      setOutput: (name) => set.push(name),
      writeTextFile: () => Promise.reject(new Error('ENOSPC: no space left on device')),
    });
    await expect(sink.publish(pipelineResult('typical'))).rejects.toThrow('ENOSPC');
    expect(set).toEqual(['verdict', 'regressed-cells', 'latency-regressed-cells', 'gate-metric', 'recommendation']);
  });
});
