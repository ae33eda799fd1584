/**
 * The gate decision (docs/statistics.md, `fail-on`): pure, from a Comparison. The only place that turns
 * verdicts into pass or fail.
 */
import type { FailOn } from '../config/config.js';
import { cellKey } from '../model/cell-key.js';
import type { CellComparison, Comparison, GateOutcome, LatencyCellComparison } from '../model/comparison.js';
import { formatNumber } from '../format-number.js';
import { calibratingText } from './calibrating-text.js';
import { wordsBreakdown } from './evidence-words.js';

/** What the run itself says beyond the comparison. */
export interface GateOptions {
  /** The run was cancelled (SIGINT/SIGTERM, a cancelled workflow): never `pass`. */
  readonly isCancelled?: boolean;
  /** What the run could not do besides its cells (a store it could not read): each fails it. */
  readonly runFailures?: readonly string[];
}

/**
 * Decides the gate (docs/reliability.md, "Exit codes and verdicts").
 *
 * - Regressions that count: without confirmation (`shouldConfirm` false) every `regressed` cell.
 *   With confirmation, once the comparison carries a confirmation pass (some cell has
 *   `confirmation` set), only `confirmed` cells count — a flagged cell that was re-measured and
 *   not confirmed is no failure. Before that pass, every regressed cell counts and is listed in
 *   `toConfirm`: the gate fails closed, so a pipeline that skips the re-run never passes one.
 * - Failures that count under `regression`: a `failed` cell the baseline measured (it loaded on
 *   the base, fails on the head), any failed cell when there is no baseline to show it failed
 *   before, and any cell with errored trials. A cell that failed in the baseline as well is
 *   reported, not counted. `any-failure` counts every failed cell and every errored trial;
 *   `never` never fails, but `verdict` and `message` still say what happened.
 * - A run in which no cell was measured at all fails (nothing was gated).
 * - `verdict`: `cancelled` when the run was cancelled, else `regression` when a regression
 *   counts, else `failure` when a cell failed or a trial errored, else `pass`.
 * - A run failure (`runFailures`: the baseline store could not be read) fails the run under every
 *   `fail-on` with `failure` (`cancelled` stays `cancelled`): the run could not compare what it
 *   was asked to, which is never a pass (docs/reliability.md).
 * - While the comparison is calibrating (run-to-run noise not measured yet, gate-readiness.ts)
 *   the gate is report-only for regressions: `verdict` is `calibrating`, nothing is re-measured,
 *   and the message says what it would have said and what is missing. Failures are not a
 *   statistical call: they still count as above, and a cancelled run is still `cancelled`.
 */
export function decideGate(
  comparison: Comparison,
  failOn: FailOn,
  shouldConfirm: boolean,
  options: GateOptions = {},
): GateOutcome {
  const outcome = decideCells(comparison, { failOn, shouldConfirm, isCancelled: options.isCancelled === true });
  return (options.runFailures ?? []).reduce(withRunFailure, outcome);
}

/**
 * Pure: `gate` failed by a failure of the run itself (`reason`: what could not be done): verdict
 * `failure` unless the run was cancelled, the check fails, the message says why.
 */
export function withRunFailure(gate: GateOutcome, reason: string): GateOutcome {
  return {
    ...gate,
    verdict: gate.verdict === 'cancelled' ? 'cancelled' : 'failure',
    shouldFail: true,
    message: `${reason}; ${gate.message}`,
    runFailures: [...(gate.runFailures ?? []), reason],
  };
}

interface CellsInput {
  readonly failOn: FailOn;
  readonly shouldConfirm: boolean;
  readonly isCancelled: boolean;
}

function decideCells(comparison: Comparison, input: CellsInput): GateOutcome {
  const { failOn, shouldConfirm, isCancelled } = input;
  const regressed = comparison.cells.filter((cell) => cell.verdict === 'regressed');
  const hasConfirmationPass = comparison.cells.some((cell) => cell.confirmation !== undefined);
  const isConfirmed = shouldConfirm && hasConfirmationPass;
  const counted = isConfirmed ? regressed.filter((cell) => cell.confirmation === 'confirmed') : regressed;
  const failures = failuresOf(comparison);
  const countedFailures = failOn === 'any-failure' ? failures.all : failures.new;
  const isNothingMeasured = isNothingMeasuredIn(comparison);
  const latency = latencyOutcome(comparison, shouldConfirm);
  if (!isCancelled && comparison.calibration?.isCalibrating === true && !isNothingMeasured) {
    return calibratingOutcome(
      { comparison, counted, regressed: counted, isConfirmed: false, toConfirm: [], failOn, failures, latency },
      countedFailures,
    );
  }
  // Paired mode: the whole-matrix line counts like a regressed cell (docs/statistics.md).
  const isOverallRegressed = comparison.paired?.overall?.verdict === 'regressed';
  const isRegression = counted.length > 0 || isOverallRegressed || latency.counted.length > 0;
  const shouldFail =
    isCancelled || (failOn !== 'never' && (isRegression || isNothingMeasured || countedFailures.length > 0));
  const verdict = isCancelled
    ? 'cancelled'
    : isRegression
      ? 'regression'
      : failures.all.length > 0 || isNothingMeasured
        ? 'failure'
        : 'pass';
  const toConfirm = [
    ...new Set([...(shouldConfirm && !hasConfirmationPass ? counted.map(keyOf) : []), ...latency.toConfirm]),
  ];
  const message = gateMessage({ comparison, counted, regressed, isConfirmed, toConfirm, failOn, failures, latency });
  return {
    verdict,
    shouldFail,
    message: isCancelled ? `the run was cancelled; ${message}` : message,
    regressedCells: counted.map(keyOf),
    ...(comparison.latency === undefined ? {} : { latencyRegressedCells: latency.counted.map(keyOf) }),
    failedCells: countedFailures,
    toConfirm,
  };
}

/** What the latency gate adds: the latency regressions that count, and those to re-measure. */
interface LatencyOutcome {
  readonly counted: readonly LatencyCellComparison[];
  readonly toConfirm: readonly string[];
  /** Latency regressions that do not count yet because its noise is not measured (stored mode). */
  readonly calibrating: number;
}

/**
 * The latency gate's counted regressions (docs/statistics.md, "Latency gate"), by the same rules
 * as dps: with confirmation on, only re-measured and still regressed cells once a confirmation
 * pass exists, every regressed cell (to re-measure) before it; while the latency comparison is
 * calibrating (stored mode, noise not measured), none.
 */
function latencyOutcome(comparison: Comparison, shouldConfirm: boolean): LatencyOutcome {
  const latency = comparison.latency;
  const regressed = (latency?.cells ?? []).filter((cell) => cell.verdict === 'regressed');
  if (latency?.calibration?.isCalibrating === true)
    return { counted: [], toConfirm: [], calibrating: regressed.length };
  // Paired runs are never re-measured: their extra rounds were the confirmation.
  const canConfirm = shouldConfirm && comparison.run.base === undefined;
  const hasPass = (latency?.cells ?? []).some((cell) => cell.confirmation !== undefined);
  const counted = canConfirm && hasPass ? regressed.filter((cell) => cell.confirmation === 'confirmed') : regressed;
  return { counted, toConfirm: canConfirm && !hasPass ? counted.map(keyOf) : [], calibrating: 0 };
}

/** Failed cells and cells with errored trials, as keys: all of them, and those new against the baseline. */
interface Failures {
  readonly all: readonly string[];
  readonly new: readonly string[];
  readonly errored: number;
  readonly preexisting: number;
}

function failuresOf(comparison: Comparison): Failures {
  const all: string[] = [];
  const fresh: string[] = [];
  let preexisting = 0;
  for (const cell of comparison.cells) {
    if (cell.verdict !== 'failed') continue;
    all.push(keyOf(cell));
    if (isPreexisting(comparison, cell)) preexisting++;
    else fresh.push(keyOf(cell));
  }
  let errored = 0;
  for (const cell of comparison.run.cells) {
    if (cell.status === 'failed' || !cell.trials.some((trial) => trial.errors > 0)) continue;
    errored++;
    all.push(keyOf(cell));
    fresh.push(keyOf(cell));
  }
  return { all, new: fresh, errored, preexisting };
}

/**
 * A failed cell that failed in the baseline as well (a known broken row). Stored mode: the
 * baseline side is set only when the baseline had good trials for the cell. Paired mode: only a
 * row the base side could not load either (`isPreexisting`); a cell both sides failed because
 * the server died, or that only the head failed, is this run's failure.
 */
function isPreexisting(comparison: Comparison, cell: CellComparison): boolean {
  if (comparison.paired !== undefined) return cell.isPreexisting === true;
  return comparison.baseline !== undefined && cell.baseline === undefined;
}

function calibratingOutcome(input: MessageInput, countedFailures: readonly string[]): GateOutcome {
  const { comparison, counted, failOn } = input;
  return {
    verdict: 'calibrating',
    // Failed cells and errored trials are not a statistical call: they still fail the check.
    shouldFail: failOn !== 'never' && countedFailures.length > 0,
    message: calibratingText(comparison.calibration, gateMessage(input)),
    regressedCells: counted.map(keyOf),
    failedCells: countedFailures,
    toConfirm: [],
  };
}

interface MessageInput {
  readonly comparison: Comparison;
  readonly counted: readonly CellComparison[];
  readonly regressed: readonly CellComparison[];
  readonly isConfirmed: boolean;
  readonly toConfirm: readonly string[];
  readonly failOn: FailOn;
  readonly failures: Failures;
  readonly latency: LatencyOutcome;
}

/** One line: "2 of 40 cells regressed, worst −12.4% at max_batch 32 / 8 users; 1 failed". */
function gateMessage(input: MessageInput): string {
  const { comparison, counted } = input;
  const total = comparison.cells.length;
  const counts = comparison.summary.counts;
  const parts: string[] = [];
  if (isNothingMeasuredIn(comparison)) {
    parts.push(`nothing was measured: every cell failed (${cells(total)}); see the failures`);
  } else if (counted.length > 0) {
    const words = wordsBreakdown(counted, { isPaired: comparison.run.base !== undefined, figure: 'dps' });
    parts.push(
      `${counted.length} of ${cells(total)} regressed${words === '' ? '' : ` (${words})`}${worstText(counted)}`,
    );
    if (input.toConfirm.length > 0) parts.push('not yet confirmed by a re-measurement');
  } else if (comparison.paired?.overall?.verdict === 'regressed') {
    parts.push(`the whole matrix regressed: median ratio ${formatNumber(comparison.paired.overall.delta, 'delta')}`);
  } else if (input.latency.counted.length > 0) {
    // The latency part below says what regressed.
  } else if (comparison.baseline === undefined) {
    parts.push(`no baseline to compare with (${cells(total)})`);
  } else {
    parts.push(`no regression in ${cells(total)}`);
  }
  const notConfirmed = comparison.cells.filter((cell) => cell.confirmation === 'not-confirmed');
  if (notConfirmed.length > 0) {
    parts.push(`${cells(notConfirmed.length)} flagged, not confirmed on re-measurement`);
  }
  const unconfirmed = input.isConfirmed ? input.regressed.length - counted.length : 0;
  if (unconfirmed > 0) parts.push(`${cells(unconfirmed)} also regressed, not re-measured`);
  if (counts.failed > 0) parts.push(`${counts.failed} failed${preexistingText(input.failures, input.failOn)}`);
  if (input.failures.errored > 0) parts.push(`${cells(input.failures.errored)} with errored trials`);
  if (counts.improved > 0) parts.push(`${counts.improved} improved`);
  parts.push(...latencyText(comparison, input.latency));
  const isIgnored =
    input.failOn === 'never' &&
    (counted.length > 0 || input.latency.counted.length > 0 || input.failures.all.length > 0);
  return parts.join('; ') + (isIgnored ? ' (fail-on: never)' : '');
}

/** `p99 regressed in 2 of 40 cells (2 p99 ≥ 10% higher), worst +35.0% at …`, and those not counted yet. */
function latencyText(comparison: Comparison, latency: LatencyOutcome): string[] {
  const percentile = comparison.latency?.percentile ?? 'latency';
  const parts: string[] = [];
  if (latency.counted.length > 0) {
    let worst = latency.counted[0];
    for (const cell of latency.counted) if ((cell.delta ?? 0) > (worst?.delta ?? 0)) worst = cell;
    const where = worst === undefined ? '' : `, worst ${formatNumber(worst.delta, 'delta')} at ${cellName(worst)}`;
    const figure = comparison.latency?.percentile ?? 'p99';
    const words = wordsBreakdown(latency.counted, { isPaired: comparison.run.base !== undefined, figure });
    const total = comparison.latency?.cells.length ?? 0;
    parts.push(`${percentile} regressed in ${latency.counted.length} of ${cells(total)} (${words})${where}`);
  }
  if (latency.calibrating > 0) {
    parts.push(`${percentile} regressed in ${cells(latency.calibrating)}, not counted: its noise is not measured yet`);
  }
  return parts;
}

function preexistingText(failures: Failures, failOn: FailOn): string {
  if (failures.preexisting === 0 || failOn === 'any-failure') return '';
  return ` (${failures.preexisting} also failed in the baseline, not counted)`;
}

function worstText(counted: readonly CellComparison[]): string {
  let worst: CellComparison | undefined;
  for (const cell of counted) {
    if (cell.delta === undefined) continue;
    if (worst?.delta === undefined || cell.delta < worst.delta) worst = cell;
  }
  if (worst?.delta === undefined) return '';
  return `, worst ${formatNumber(worst.delta, 'delta')} at ${cellName(worst)}`;
}

function cellName(cell: { readonly maxBatch: number; readonly users: number }): string {
  return `max_batch ${cell.maxBatch} / ${cell.users} ${cell.users === 1 ? 'user' : 'users'}`;
}

/** No cell of the run was measured: every compared cell failed (cells only the baseline had do not count). */
function isNothingMeasuredIn(comparison: Comparison): boolean {
  return comparison.cells.every((cell) => cell.verdict === 'failed' || cell.verdict === 'missing');
}

function cells(count: number): string {
  return `${count} ${count === 1 ? 'cell' : 'cells'}`;
}

function keyOf(cell: { readonly maxBatch: number; readonly users: number }): string {
  return cellKey(cell.maxBatch, cell.users);
}
