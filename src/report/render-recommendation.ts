/**
 * The recommendation section of the comment (docs/answers.md#recommendations): the lines of
 * `recommendationLines` as a list, under the dps table. Only numbers and fixed words: no escaping.
 */
import { recommendationOf } from '../analysis/recommend.js';
import type { RunResult } from '../model/run-result.js';
import { recommendationLines } from './recommendation-lines.js';

/** The recommendation section, or `undefined` when the run recommends nothing. */
export function renderRecommendationSection(run: RunResult): string | undefined {
  const lines = recommendationLines(recommendationOf(run));
  if (lines.length === 0) return undefined;
  return ['#### Recommendation', lines.map((line) => `- **${line.topic}:** ${line.text}`).join('\n')].join('\n\n');
}
