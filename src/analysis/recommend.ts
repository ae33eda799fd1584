/**
 * The recommendation of a run (docs/answers.md#recommendations): per users level the smallest
 * max_batch whose dps is within noise of the column's best, and with a latency budget the
 * highest-dps cell that meets it, per users level and overall, and the rows that never meet it.
 * Only `ok` cells are recommended: a failed cell has no figures, a noisy cell's median is the
 * one figure not to build on. Pure.
 */
import type { BudgetAnswer, BudgetCell, LatencyBudget, Recommendation, UsersChoice } from '../model/recommendation.js';
import type { Cell, RunResult } from '../model/run-result.js';
import { goodTrials, withinNoiseOf } from './row-gap.js';

/** The highest-dps cell of `cells`, ties to the smaller max_batch; undefined when empty. */
function bestOf(cells: readonly Cell[]): Cell | undefined {
  return cells.reduce<Cell | undefined>(
    (top, cell) =>
      top === undefined ||
      cell.dpsMedian > top.dpsMedian ||
      (cell.dpsMedian === top.dpsMedian && cell.maxBatch < top.maxBatch)
        ? cell
        : top,
    undefined,
  );
}

/** The cells a recommendation may name: `ok`, with a successful trial and dps above 0. */
function candidates(run: RunResult): Cell[] {
  return run.cells.filter((cell) => cell.status === 'ok' && cell.dpsMedian > 0 && goodTrials(cell) > 0);
}

/** Users levels of `cells`, ascending. */
function usersOf(cells: readonly Cell[]): number[] {
  return [...new Set(cells.map((cell) => cell.users))].sort((a, b) => a - b);
}

/** The smallest max_batch within noise of the column's best. */
function chooseForUsers(users: number, column: readonly Cell[]): UsersChoice | undefined {
  const best = bestOf(column);
  if (best === undefined) return undefined;
  const ascending = [...column].sort((a, b) => a.maxBatch - b.maxBatch);
  for (const cell of ascending) {
    const { isWithin, basis } = withinNoiseOf(cell, best);
    if (!isWithin) continue;
    return {
      users,
      maxBatch: cell.maxBatch,
      dps: cell.dpsMedian,
      bestMaxBatch: best.maxBatch,
      bestDps: best.dpsMedian,
      basis,
    };
  }
  return undefined;
}

function budgetCellOf(cell: Cell, budget: LatencyBudget): BudgetCell {
  return {
    maxBatch: cell.maxBatch,
    users: cell.users,
    dps: cell.dpsMedian,
    latencyMs: cell.latencyMs[budget.percentile],
  };
}

/** The answer under `budget` over the candidate cells; `rows` in run order. */
function answerBudget(cells: readonly Cell[], rows: readonly number[], budget: LatencyBudget): BudgetAnswer {
  const within = cells.filter((cell) => cell.latencyMs[budget.percentile] <= budget.ms);
  const overall = bestOf(within);
  const considered = new Set(cells.map((cell) => cell.maxBatch));
  const meeting = new Set(within.map((cell) => cell.maxBatch));
  return {
    budget,
    perUsers: usersOf(cells).map((users) => {
      const best = bestOf(within.filter((cell) => cell.users === users));
      return { users, cell: best === undefined ? undefined : budgetCellOf(best, budget) };
    }),
    overall: overall === undefined ? undefined : budgetCellOf(overall, budget),
    rowsNeverWithin: rows.filter((maxBatch) => considered.has(maxBatch) && !meeting.has(maxBatch)),
  };
}

/** What `run` recommends; with `budget`, also the best cells that meet it. */
export function recommend(run: RunResult, budget?: LatencyBudget): Recommendation {
  const cells = candidates(run);
  const perUsers = usersOf(cells).flatMap((users) => {
    const choice = chooseForUsers(
      users,
      cells.filter((cell) => cell.users === users),
    );
    return choice === undefined ? [] : [choice];
  });
  const rows = [...new Set([...run.rows.map((row) => row.maxBatch), ...run.cells.map((cell) => cell.maxBatch)])];
  return {
    perUsers,
    ...(budget === undefined ? {} : { budget: answerBudget(cells, rows, budget) }),
    noisyLeftOut: run.cells.filter((cell) => cell.status === 'noisy').length,
  };
}

/**
 * `run` with its recommendation under `budget` (replacing one it carried): what the result
 * JSON and the `recommendation` output hold, and what the report words.
 */
export function withRecommendation(run: RunResult, budget?: LatencyBudget): RunResult {
  return { ...run, recommendation: recommend(run, budget) };
}

/** The recommendation `run` carries (the pipeline's, under its budget), else one without a budget. */
export function recommendationOf(run: RunResult): Recommendation {
  return run.recommendation ?? recommend(run);
}
