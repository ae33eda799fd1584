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
import { pipelineResult } from '../github/github-fixtures.js';

const action = parse(readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8')) as {
  outputs: Record<string, unknown>;
};

describe('the step outputs', () => {
  it('are exactly the outputs action.yml declares', () => {
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES]);
  });

  it('verdict and regressed-cells come from the gate', () => {
    expect(verdictOutputsOf(pipelineResult('typical'))).toEqual({
      verdict: 'regression',
      'regressed-cells': '32x8,64x9',
    });
    expect(verdictOutputsOf(pipelineResult('no-baseline'))).toEqual({ verdict: 'pass', 'regressed-cells': '' });
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
      'write /t/result.json',
      `${ActionOutput.resultJson}=/t/result.json`,
      'write /t/report.md',
      `${ActionOutput.reportMarkdown}=/t/report.md`,
    ]);
    expect(JSON.parse(files.get('/t/result.json') ?? '')).toEqual(JSON.parse(JSON.stringify(result.run)));
    expect(files.get('/t/report.md')).toBe(result.report.markdown);
  });

  it('a failing disk still leaves verdict and regressed-cells set', async () => {
    const set: string[] = [];
    const sink = createOutputsSink({
      paths: { resultJson: '/t/result.json', reportMarkdown: '/t/report.md' },
      setOutput: (name) => set.push(name),
      writeTextFile: () => Promise.reject(new Error('ENOSPC: no space left on device')),
    });
    await expect(sink.publish(pipelineResult('typical'))).rejects.toThrow('ENOSPC');
    expect(set).toEqual(['verdict', 'regressed-cells']);
  });
});
