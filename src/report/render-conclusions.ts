/**
 * The conclusions section of the comment: the sentences of `describeConclusions` as a list.
 * The sentences hold only numbers and fixed words, so they need no escaping.
 */
import type { RunResult } from '../model/run-result.js';
import { describeConclusions, findConclusions } from './find-conclusions.js';

/** The conclusions section, or `undefined` when the run gives nothing to conclude. */
export function renderConclusionsSection(run: RunResult): string | undefined {
  const lines = describeConclusions(findConclusions(run));
  if (lines.length === 0) return undefined;
  return ['#### Conclusions', lines.map((line) => `- **${line.topic}:** ${line.text}`).join('\n')].join('\n\n');
}
