/**
 * The recommendation in words (analysis/recommend.ts finds it; docs/answers.md#recommendations),
 * for the markdown report and the terminal alike: the max_batch per users level for throughput,
 * then, with a latency budget, the best cell within it, per users level, and the rows that never
 * meet it. Only numbers and fixed words. Pure.
 */
import { SINGLE_TRIAL_TOLERANCE } from '../analysis/row-gap.js';
import { formatNumber } from '../format-number.js';
import type { BudgetAnswer, Recommendation } from '../model/recommendation.js';
import { cellLabel, joinWords, usersRange } from './matrix-view.js';

/** One line: a short topic and its sentence. */
export interface RecommendationLine {
  readonly topic: string;
  readonly text: string;
}

/** `1–8 users: max_batch 8 · 9–10 users: max_batch 16`: adjacent levels with the same answer share a part. */
function perUsersText(choices: readonly { readonly users: number; readonly answer: string }[]): string {
  const groups: { users: number[]; answer: string }[] = [];
  for (const { users, answer } of choices) {
    const last = groups.at(-1);
    if (last !== undefined && last.answer === answer) last.users.push(users);
    else groups.push({ users: [users], answer });
  }
  return groups.map((group) => `${usersRange(group.users)}: ${group.answer}`).join(' · ');
}

function throughputText(recommendation: Recommendation): string | undefined {
  const choices = recommendation.perUsers;
  if (choices.length === 0) return undefined;
  const answers = perUsersText(
    choices.map((choice) => ({ users: choice.users, answer: `max_batch ${choice.maxBatch}` })),
  );
  const bases = new Set(choices.map((choice) => choice.basis));
  const measured = "its trials' range overlaps the best's";
  const single = `one trial per cell: within ${formatNumber(SINGLE_TRIAL_TOLERANCE, 'level')} of the best as observed, the spread unknown`;
  const basis = bases.size === 2 ? `${measured}; or, ${single}` : bases.has('measured') ? measured : single;
  const noisy =
    recommendation.noisyLeftOut === 0
      ? ''
      : ` ${recommendation.noisyLeftOut} noisy ${recommendation.noisyLeftOut === 1 ? 'cell' : 'cells'} left out.`;
  return `${answers}: the smallest max_batch whose dps is within noise of its column's best (${basis}).${noisy}`;
}

function budgetText(answer: BudgetAnswer): string {
  const name = answer.budget.percentile;
  const overall = answer.overall;
  if (overall === undefined) return `no measured cell meets it.`;
  const best =
    `${cellLabel(overall.maxBatch, overall.users)}, ${formatNumber(overall.dps, 'dps')} dps at ${name} ` +
    `${formatNumber(overall.latencyMs, 'ms')} ms: the most dps within the budget.`;
  const perUsers = perUsersText(
    answer.perUsers.map(({ users, cell }) => ({
      users,
      answer: cell === undefined ? 'none' : `max_batch ${cell.maxBatch}`,
    })),
  );
  const never = answer.rowsNeverWithin;
  const neverText =
    never.length === 0
      ? ''
      : ` max_batch ${joinWords(never.map(String))} never ${never.length === 1 ? 'meets' : 'meet'} it.`;
  return `${best} Per users: ${perUsers}.${neverText}`;
}

/** The lines of the recommendation; empty when no cell can be recommended and no budget was set. */
export function recommendationLines(recommendation: Recommendation): RecommendationLine[] {
  const throughput = throughputText(recommendation);
  const budget = recommendation.budget;
  return [
    ...(throughput === undefined ? [] : [{ topic: 'Throughput', text: throughput }]),
    ...(budget === undefined
      ? []
      : [
          {
            topic: `${budget.budget.percentile} ≤ ${formatNumber(budget.budget.ms, 'ms')} ms`,
            text: budgetText(budget),
          },
        ]),
  ];
}
