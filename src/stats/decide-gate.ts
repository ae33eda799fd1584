/**
 * The gate decision (docs/statistics.md, `fail-on`): pure, from a Comparison. The only place that turns
 * verdicts into pass or fail.
 */
import type { FailOn } from '../config/config.js';
import { cellKey } from '../model/cell-key.js';
import type { CellComparison, Comparison, GateOutcome } from '../model/comparison.js';
import { formatSignedPercent } from './format-percent.js';
import { calibratingText } from './calibrating-text.js';

/**
 * Decides the gate.
 *
 * - Regressions that count: without confirmation (`shouldConfirm` false) every `regressed` cell.
 *   With confirmation, once the comparison carries a confirmation pass (some cell has
 *   `confirmation` set), only `confirmed` cells count — a flagged cell that was re-measured and
 *   not confirmed is no failure. Before that pass, every regressed cell counts and is listed in
 *   `toConfirm`: the gate fails closed, so a pipeline that skips the re-run never passes one.
 * - `regression` fails on counted regressions; `any-failure` also on `failed` cells; `never`
 *   never fails, but `verdict` and `message` still say what happened.
 * - A run in which no cell was measured at all (every row failed, or `fixed` at the wrong
 *   max_batch) fails under `regression` too: nothing was gated, and a green check would say
 *   the opposite.
 * - `verdict` is `regression` when a regression counts, else `failure` when a cell failed,
 *   else `pass`, whatever `failOn` says.
 * - While the comparison is calibrating (run-to-run noise not measured yet, gate-readiness.ts)
 *   the gate is report-only: `verdict` is `calibrating`, it never fails on regressions, nothing
 *   is re-measured, and the message says what it would have said and what is missing.
 */
export function decideGate(
  comparison: Comparison,
  failOn: FailOn,
  shouldConfirm: boolean,
): GateOutcome {
  const regressed = comparison.cells.filter((cell) => cell.verdict === 'regressed');
  const hasConfirmationPass = comparison.cells.some((cell) => cell.confirmation !== undefined);
  const isConfirmed = shouldConfirm && hasConfirmationPass;
  const counted = isConfirmed
    ? regressed.filter((cell) => cell.confirmation === 'confirmed')
    : regressed;
  const failedCount = comparison.summary.counts.failed;
  const isNothingMeasured = isNothingMeasuredIn(comparison);
  if (comparison.calibration?.isCalibrating === true && !isNothingMeasured) {
    return calibratingOutcome(comparison, counted, failOn);
  }
  const shouldFail =
    failOn === 'never'
      ? false
      : counted.length > 0 || isNothingMeasured || (failOn === 'any-failure' && failedCount > 0);
  const verdict = counted.length > 0 ? 'regression' : failedCount > 0 ? 'failure' : 'pass';
  const toConfirm = shouldConfirm && !hasConfirmationPass ? counted.map(keyOf) : [];
  return {
    verdict,
    shouldFail,
    message: gateMessage({ comparison, counted, regressed, isConfirmed, toConfirm, failOn }),
    regressedCells: counted.map(keyOf),
    toConfirm,
  };
}

function calibratingOutcome(
  comparison: Comparison,
  counted: readonly CellComparison[],
  failOn: FailOn,
): GateOutcome {
  const failed = comparison.summary.counts.failed;
  const wouldSay = gateMessage({ comparison, counted, regressed: counted, isConfirmed: false, toConfirm: [], failOn });
  return {
    verdict: 'calibrating',
    // Cells that failed outright are not a statistical call: `any-failure` still fails on them.
    shouldFail: failOn === 'any-failure' && failed > 0,
    message: calibratingText(comparison.calibration, wouldSay),
    regressedCells: counted.map(keyOf),
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
    parts.push(`${counted.length} of ${cells(total)} regressed${worstText(counted)}`);
    if (input.toConfirm.length > 0) parts.push('not yet confirmed by a re-measurement');
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
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.improved > 0) parts.push(`${counts.improved} improved`);
  const isIgnored = input.failOn === 'never' && (counted.length > 0 || counts.failed > 0);
  return parts.join('; ') + (isIgnored ? ' (fail-on: never)' : '');
}

function worstText(counted: readonly CellComparison[]): string {
  let worst: CellComparison | undefined;
  for (const cell of counted) {
    if (cell.delta === undefined) continue;
    if (worst?.delta === undefined || cell.delta < worst.delta) worst = cell;
  }
  if (worst?.delta === undefined) return '';
  const users = `${worst.users} ${worst.users === 1 ? 'user' : 'users'}`;
  return `, worst ${formatSignedPercent(worst.delta)} at max_batch ${worst.maxBatch} / ${users}`;
}

/** No cell of the run was measured: every compared cell failed (cells only the baseline had do not count). */
function isNothingMeasuredIn(comparison: Comparison): boolean {
  return comparison.cells.every((cell) => cell.verdict === 'failed' || cell.verdict === 'missing');
}

function cells(count: number): string {
  return `${count} ${count === 1 ? 'cell' : 'cells'}`;
}

function keyOf(cell: CellComparison): string {
  return cellKey(cell.maxBatch, cell.users);
}
