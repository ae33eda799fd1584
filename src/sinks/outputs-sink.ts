/**
 * The step outputs (docs/architecture.md#comparison-store-and-reports; names declared once here, checked against action.yml by a unit
 * test): `verdict`, `regressed-cells`, `recommendation` (JSON, docs/answers.md#recommendations),
 * and two file paths — the RunResult JSON and the report markdown — under
 * `$RUNNER_TEMP/triton-throughput-gate/<key>/`. Outputs that need no file are set first, so a
 * failing disk still leaves the verdict for the next step.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { recommendationOf } from '../analysis/recommend.js';
import { pathSegmentOf } from '../baseline/benchmark-paths.js';
import type { Comparison } from '../model/comparison.js';
import type { PipelineResult, Sink } from '../pipeline.js';

/** Every output of the action, declared once. */
export const ActionOutput = {
  verdict: 'verdict',
  regressedCells: 'regressed-cells',
  latencyRegressedCells: 'latency-regressed-cells',
  gateMetric: 'gate-metric',
  recommendation: 'recommendation',
  resultJson: 'result-json',
  reportMarkdown: 'report-markdown',
} as const;

/** A kebab-case output name. */
export type OutputName = (typeof ActionOutput)[keyof typeof ActionOutput];

/** All output names, in declaration order. */
export const OUTPUT_NAMES: readonly OutputName[] = Object.values(ActionOutput);

/** Where the files of one benchmark key go. */
export interface OutputPaths {
  readonly resultJson: string;
  readonly reportMarkdown: string;
}

/**
 * `<tempDir>/triton-throughput-gate/<key>/result.json` and `report.md`; the key is one safe
 * path segment (the data branch's encoding), so two keys never share files. With `outPath`
 * (the `out` input) the JSON goes there instead.
 */
export function outputPathsOf(tempDir: string, benchmarkKey: string, outPath?: string): OutputPaths {
  const dir = join(tempDir, 'triton-throughput-gate', keySegmentOf(benchmarkKey));
  return { resultJson: outPath ?? join(dir, 'result.json'), reportMarkdown: join(dir, 'report.md') };
}

function keySegmentOf(benchmarkKey: string): string {
  try {
    return pathSegmentOf(benchmarkKey, 'benchmark-key');
  } catch {
    // Too long for one path segment (the branch store refuses it too): a hash still separates keys.
    return `sha256-${createHash('sha256').update(benchmarkKey).digest('hex')}`;
  }
}

/**
 * The outputs that need no file: `verdict` (`pass`, `regression`, `failure`, `calibrating`),
 * `regressed-cells`, `latency-regressed-cells` (empty while the latency gate is off), `gate-metric`
 * (what the verdicts compared: `dps` or `responses`) and `recommendation` (the run's
 * recommendation as one line of JSON).
 */
export function verdictOutputsOf(
  result: Pick<PipelineResult, 'gate' | 'run'> & { readonly comparison?: Pick<Comparison, 'gateMetric'> },
): Readonly<
  Record<'verdict' | 'regressed-cells' | 'latency-regressed-cells' | 'gate-metric' | 'recommendation', string>
> {
  return {
    verdict: result.gate.verdict,
    'regressed-cells': result.gate.regressedCells.join(','),
    'latency-regressed-cells': (result.gate.latencyRegressedCells ?? []).join(','),
    'gate-metric': result.comparison?.gateMetric ?? 'dps',
    recommendation: JSON.stringify(recommendationOf(result.run)),
  };
}

/** What the sink writes with (`core.setOutput` and a mkdir-ing file writer in main.ts). */
export interface OutputsSinkOptions {
  readonly paths: OutputPaths;
  readonly setOutput: (name: OutputName, value: string) => void;
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
}

/** The outputs sink: promised files, so a write that fails fails the run (`isRequired`). */
export function createOutputsSink(options: OutputsSinkOptions): Sink {
  return {
    name: 'step outputs',
    isRequired: true,
    publish: async (result: PipelineResult) => {
      for (const [name, value] of Object.entries(verdictOutputsOf(result)))
        options.setOutput(name as OutputName, value);
      // The RunResult is the public file format (run-result.ts): what the store keeps and
      // `triton-throughput-gate compare --baseline <file>` reads.
      await options.writeTextFile(options.paths.resultJson, `${JSON.stringify(result.run, null, 2)}\n`);
      options.setOutput(ActionOutput.resultJson, options.paths.resultJson);
      await options.writeTextFile(options.paths.reportMarkdown, result.report.markdown);
      options.setOutput(ActionOutput.reportMarkdown, options.paths.reportMarkdown);
    },
  };
}
