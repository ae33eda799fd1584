/**
 * Every conclusion of a run, in reading order, for the markdown report and the terminal alike:
 * the study's answers first (find-study-answers.ts, capacity-answers.ts), then the best cell,
 * failed rows and noisy cells (find-conclusions.ts), then the server cross-check. Pure.
 */
import type { RunResult } from '../model/run-result.js';
import { describeConclusions, findConclusions, type ConclusionLine } from './find-conclusions.js';
import { capacityAnswerLines } from './find-capacity-answers.js';
import { crossCheckLines } from './find-cross-check.js';
import { studyAnswerLines } from './find-study-answers.js';

/** The lines of the conclusions section; empty when the run gives nothing to conclude. */
export function conclusionLines(run: RunResult): ConclusionLine[] {
  // The 3 % saturation rule of find-conclusions.ts is replaced by interval-based flattening.
  const general = describeConclusions(findConclusions(run)).filter((line) => line.topic !== 'Saturation');
  return [...studyAnswerLines(run), ...capacityAnswerLines(run), ...general, ...crossCheckLines(run.cells)];
}
