/**
 * The conclusions section of the comment: the sentences of `conclusionLines` as a list.
 * The sentences hold only numbers and fixed words, so they need no escaping. They answer the
 * study; a pull request's check leads with its decision instead (`conclusions: auto`).
 */
import type { ConclusionsMode } from '../config/config.js';
import type { RunResult } from '../model/run-result.js';
import { conclusionLines } from './conclusion-lines.js';

/** Events of a pull request's check: `conclusions: auto` leaves the study's conclusions out of them. */
const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/** Whether the report carries the conclusions: `auto` shows them except on a pull request's run. */
export function shouldShowConclusions(mode: ConclusionsMode, run: RunResult): boolean {
  if (mode !== 'auto') return mode === 'always';
  return !PULL_REQUEST_EVENTS.includes(run.source.event ?? '');
}

/** The conclusions section, or `undefined` when the run gives nothing to conclude. */
export function renderConclusionsSection(run: RunResult): string | undefined {
  const lines = conclusionLines(run);
  if (lines.length === 0) return undefined;
  return ['#### Conclusions', lines.map((line) => `- **${line.topic}:** ${line.text}`).join('\n')].join('\n\n');
}
