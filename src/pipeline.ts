/**
 * The one place that knows the order of the steps (docs/architecture.md#data-flow):
 * Config -> matrix run -> baseline -> comparison (+ confirmation re-run) -> report -> sinks,
 * then save per policy and the gate decision. `main.ts` and `cli.ts` only build the deps.
 */
import type { BaselineLoad, BaselineStore, SaveOutcome } from './model/baseline-store.js';
import type { Config, SaveBaselinePolicy } from './config/config.js';
import { errorMessage } from './error-message.js';
import type { Logger } from './logger.js';
import { NO_REDACTION, redactDeep, type Redact } from './redact-secrets.js';
import { withRecommendation } from './analysis/recommend.js';
import { remeasureCells } from './matrix/remeasure-cells.js';
import type { RunResult } from './model/run-result.js';
import { runMatrix, type MatrixDeps, type RunContext } from './matrix/run-matrix.js';
import { renderReport, type RenderedReport } from './report/render-report.js';
import { comparePairedRun } from './stats/compare-paired-run.js';
import { compareRun } from './stats/compare-run.js';
import { compareStoredLatency } from './stats/compare-latency.js';
import type { Comparison, GateOutcome } from './model/comparison.js';
import { decideGate, withRunFailure } from './stats/decide-gate.js';
import type { ModelJournal } from './control/model-journal.js';
import { mergeConfirmation } from './stats/merge-confirmation.js';
import { cellKey } from './model/cell-key.js';
import { historyPointOf } from './model/history-point.js';
import { refuseResponsesMetricFor } from './matrix/model-kind.js';
import { responsesBaselineOf, responsesRunOf } from './stats/gate-metric.js';

/** The triggering event, read once at the edge. */
export interface RunEvent {
  /** `push`, `pull_request`, `schedule`, `workflow_dispatch`, `cli`, ... */
  readonly name: string;
  /** Push to the repository's default branch. */
  readonly isDefaultBranch: boolean;
  /** Push of a tag (a release). */
  readonly isTag: boolean;
}

/** Everything a pipeline run produced; what sinks publish. */
export interface PipelineResult {
  readonly run: RunResult;
  readonly comparison: Comparison;
  readonly gate: GateOutcome;
  readonly report: RenderedReport;
  readonly saved?: SaveOutcome;
}

/** A destination of the result (stdout, JSON file, PR comment, job summary, outputs). */
export interface Sink {
  readonly name: string;
  /**
   * A write the user asked for (the `out` file, the output files): published before the other
   * sinks, and one that fails fails the run (docs/reliability.md); other sinks only warn.
   */
  readonly isRequired?: boolean;
  publish(result: PipelineResult): Promise<void>;
}

/** What judging and publishing a finished run talks to (a merge has no server: no `matrix`). */
export interface PublishDeps {
  readonly store: BaselineStore;
  readonly sinks: readonly Sink[];
  readonly log: Logger;
  readonly event: RunEvent;
  /** Commits to take the baseline from, best first (merge-base first in a PR). */
  readonly preferredShas: readonly string[];
  readonly runUrl?: string;
  /** Masks secrets in every string of the run before anything is compared, stored or published. */
  readonly redact?: Redact;
}

/** What the pipeline talks to: a publish's deps plus the matrix run's. */
export interface PipelineDeps extends PublishDeps {
  readonly matrix: MatrixDeps;
  readonly context: RunContext;
  /** The run's model-state journal: how each changed model ended goes into the run (`modelState`). */
  readonly journal?: ModelJournal;
}

/**
 * Pure: comparison, gate and report of a run against a loaded baseline; `run` comes back with
 * its recommendation under the configured latency budget (docs/answers.md), as sinks publish it.
 */
export function evaluateRun(
  measured: RunResult,
  baseline: BaselineLoad,
  config: Config,
  options: {
    readonly confirmed?: ReadonlySet<string>;
    /** Cells re-measured because their latency regressed (the latency gate, stored mode). */
    readonly latencyConfirmed?: ReadonlySet<string>;
    readonly runUrl?: string;
    readonly isCancelled?: boolean;
  } = {},
): { run: RunResult; comparison: Comparison; gate: GateOutcome; report: RenderedReport } {
  const run = withRecommendation(measured, config.answers.latencyBudget);
  // Paired runs are decided by their own base side; re-measuring is what their extra rounds did.
  const isPaired = run.base !== undefined;
  const latency = config.gate.latency;
  const onResponses = config.gate.metric === 'responses';
  if (onResponses) refuseResponsesMetricFor(run);
  // The verdicts read `dps`: with gate-metric responses they read responses/s (stats/gate-metric.ts).
  const judged = onResponses
    ? { run: responsesRunOf(run), baseline: responsesBaselineOf(baseline) }
    : { run, baseline };
  const stored = (): Comparison => {
    const compared = compareRun(judged.run, judged.baseline, config.gate, {
      ...(options.confirmed === undefined ? {} : { confirmed: options.confirmed }),
    });
    if (latency === undefined) return compared;
    const confirmed = options.latencyConfirmed === undefined ? {} : { confirmed: options.latencyConfirmed };
    return { ...compared, latency: compareStoredLatency(run, baseline, { ...config.gate, latency }, confirmed) };
  };
  const compared = isPaired ? comparePairedRun(judged.run, judged.baseline, config.gate, { seed: run.seed }) : stored();
  // The report shows the run as measured, and the trend its dps, whatever the verdicts compared.
  const comparison: Comparison = onResponses
    ? {
        ...compared,
        run,
        history: [...baseline.history.filter((point) => point.runId !== run.id), historyPointOf(run)],
        gateMetric: 'responses',
      }
    : compared;
  const gate = decideGate(comparison, config.gate.failOn, config.gate.shouldConfirm && !isPaired, {
    isCancelled: options.isCancelled === true,
    ...(baseline.failure === undefined ? {} : { runFailures: [baseline.failure] }),
  });
  const report = renderReport(comparison, {
    benchmarkKey: config.benchmarkKey,
    gate,
    conclusions: config.answers.conclusions,
    ...(options.runUrl === undefined ? {} : { runUrl: options.runUrl }),
  });
  return { run, comparison, gate, report };
}

/** Pure: whether this run may become a baseline (docs/baseline-store.md; never from PRs, never partial). */
export function shouldSaveBaseline(policy: SaveBaselinePolicy, event: RunEvent, run: RunResult): boolean {
  // A shard holds part of the matrix: the merge job saves the whole run (model/merge-shards.ts).
  if (policy === 'never' || !run.isComplete || run.shard !== undefined) return false;
  if (event.name === 'pull_request' || event.name === 'pull_request_target') return false;
  if (policy === 'always') return true;
  return event.name === 'push' && (event.isDefaultBranch || event.isTag);
}

const EMPTY_BASELINE: BaselineLoad = { runs: [], selectedBy: 'none', history: [], notes: [] };

async function loadBaseline(config: Config, deps: PublishDeps, run: RunResult): Promise<BaselineLoad> {
  try {
    return await deps.store.load({
      benchmarkKey: config.benchmarkKey,
      environment: run.environment,
      method: run.method,
      preferredShas: deps.preferredShas,
    });
  } catch (err: unknown) {
    // An unreachable store is not "no baseline yet": the run fails closed (docs/reliability.md).
    const message = `the baseline store could not be read: ${errorMessage(err)}`;
    deps.log.warn(message);
    return { ...EMPTY_BASELINE, notes: [message], failure: message };
  }
}

async function confirmRegressions(
  config: Config,
  deps: PipelineDeps,
  run: RunResult,
  gate: GateOutcome,
): Promise<{ run: RunResult; confirmed: ReadonlySet<string>; latencyConfirmed: ReadonlySet<string> } | undefined> {
  const keys = gate.toConfirm;
  if (!config.gate.shouldConfirm || keys.length === 0 || deps.matrix.signal.aborted) return undefined;
  deps.log.info(`re-measuring ${keys.length} regressed cell(s) to confirm: ${keys.join(', ')}`);
  const refs = keys.map((key) => {
    const [maxBatch, users] = key.split('x').map(Number);
    return { maxBatch: maxBatch ?? 0, users: users ?? 0 };
  });
  const rerun = await remeasureCells(config, deps.matrix, refs);
  // Each figure confirms only the cells it flagged: a cell re-measured for its p99 is not a dps flag.
  const flagged = (cells: readonly string[] | undefined): Set<string> =>
    new Set(keys.filter((key) => cells?.includes(key) === true));
  return {
    run: mergeConfirmation(run, rerun),
    confirmed: flagged(gate.regressedCells),
    latencyConfirmed: flagged(gate.latencyRegressedCells),
  };
}

/** The save's outcome; `failure` when a save the policy asked for did not land. */
async function saveIfAllowed(
  config: Config,
  deps: PublishDeps,
  run: RunResult,
): Promise<{ readonly saved?: SaveOutcome; readonly failure?: string }> {
  if (config.store.kind !== 'none' && run.shard !== undefined && config.store.save !== 'never') {
    deps.log.info(
      `shard ${run.shard.index}/${run.shard.count}: not saved as a baseline; the merge job saves the whole run`,
    );
  }
  if (config.store.kind === 'none' || !shouldSaveBaseline(config.store.save, deps.event, run)) return {};
  try {
    return { saved: await deps.store.save(run) };
  } catch (err: unknown) {
    // A lost save is a lost write: the run fails closed (docs/reliability.md).
    const detail = `the run was not saved as a baseline: ${errorMessage(err)}`;
    deps.log.warn(detail);
    return { saved: { isSaved: false, detail }, failure: detail };
  }
}

/** Runs the whole job and returns what happened; the caller turns `gate` into an exit code. */
export async function runPipeline(config: Config, deps: PipelineDeps): Promise<PipelineResult> {
  const redact = deps.redact ?? NO_REDACTION;
  let run = redactDeep(await withModelState(await runMatrix(config, deps.matrix, deps.context), deps.journal), redact);
  const baseline = await loadBaseline(config, deps, run);
  const runUrl = {
    ...(deps.runUrl === undefined ? {} : { runUrl: deps.runUrl }),
    isCancelled: deps.matrix.signal.aborted,
  };
  let evaluated = evaluateRun(run, baseline, config, runUrl);
  const confirmation = await confirmRegressions(config, deps, run, evaluated.gate);
  if (confirmation !== undefined) {
    run = redactDeep(await withModelState(confirmation.run, deps.journal), redact);
    evaluated = evaluateRun(run, baseline, config, {
      confirmed: confirmation.confirmed,
      latencyConfirmed: confirmation.latencyConfirmed,
      ...runUrl,
      isCancelled: deps.matrix.signal.aborted,
    });
  }
  return await saveAndPublish(config, deps, run, evaluated);
}

async function saveAndPublish(
  config: Config,
  deps: PublishDeps,
  run: RunResult,
  evaluated: { run: RunResult; comparison: Comparison; gate: GateOutcome; report: RenderedReport },
): Promise<PipelineResult> {
  const { saved, failure } = await saveIfAllowed(config, deps, run);
  // Sinks publish the run with its recommendation; the store keeps the measurement alone.
  let result: PipelineResult = { ...evaluated, ...(saved === undefined ? {} : { saved }) };
  if (failure !== undefined) result = failedBy(result, failure, config, deps);
  // Writes the user asked for first: one that fails fails the run, and every later sink says so.
  for (const sink of deps.sinks.filter((s) => s.isRequired === true)) {
    try {
      await sink.publish(result);
    } catch (err: unknown) {
      const detail = `${sink.name} could not be written: ${errorMessage(err)}`;
      deps.log.warn(detail);
      result = failedBy(result, detail, config, deps);
    }
  }
  for (const sink of deps.sinks.filter((s) => s.isRequired !== true)) {
    try {
      await sink.publish(result);
    } catch (err: unknown) {
      deps.log.warn(`${sink.name}: ${errorMessage(err)}`);
    }
  }
  return result;
}

/** `result` failed by a run failure (a lost write): gate and report say so. */
function failedBy(result: PipelineResult, reason: string, config: Config, deps: PublishDeps): PipelineResult {
  const gate = withRunFailure(result.gate, reason);
  const report = renderReport(result.comparison, {
    benchmarkKey: config.benchmarkKey,
    gate,
    conclusions: config.answers.conclusions,
    ...(deps.runUrl === undefined ? {} : { runUrl: deps.runUrl }),
  });
  return { ...result, gate, report };
}

/** `run` with how each model it changed ended (the journal restores any not restored yet). */
async function withModelState(run: RunResult, journal: ModelJournal | undefined): Promise<RunResult> {
  const modelState = journal === undefined ? [] : await journal.restoreAll();
  return modelState.length === 0 ? run : { ...run, modelState };
}

/**
 * The pipeline from a finished RunResult on (a run merged from shards, model/merge-shards.ts):
 * baseline, comparison, report, save per policy and sinks, as `runPipeline` does after the
 * matrix. Nothing is re-measured (there is no server); cells the shards already re-measured
 * to confirm a regression count as confirmed, as in `compare`.
 */
export async function publishFinishedRun(
  config: Config,
  deps: PublishDeps,
  finished: RunResult,
): Promise<PipelineResult> {
  const run = redactDeep(finished, deps.redact ?? NO_REDACTION);
  const baseline = await loadBaseline(config, deps, run);
  const confirmed = new Set(
    run.cells.filter((cell) => cell.isConfirmation === true).map((cell) => cellKey(cell.maxBatch, cell.users)),
  );
  // Without a confirmation pass in any shard there is nothing left to re-measure: the gate decides now.
  const judged: Config = confirmed.size > 0 ? config : { ...config, gate: { ...config.gate, shouldConfirm: false } };
  const evaluated = evaluateRun(run, baseline, judged, {
    confirmed,
    ...(deps.runUrl === undefined ? {} : { runUrl: deps.runUrl }),
  });
  return await saveAndPublish(config, deps, run, evaluated);
}
