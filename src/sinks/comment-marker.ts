/**
 * The hidden markers that make a comment sticky (docs/architecture.md#comparison-store-and-reports): the first line of every comment
 * we write is `<!-- triton-throughput-gate:<key> -->` (PR) or
 * `<!-- triton-throughput-gate-trend:<key> -->` (trend issue), so the next run finds it and
 * edits it instead of adding one. One marker per benchmark key: several keys in one PR get one
 * comment each, never one comment per run (github-action-benchmark #334). The second line
 * records the verdicts the comment shows, for `comment: on-change`. Pure.
 */
import { createHash } from 'node:crypto';
import type { PipelineResult } from '../pipeline.js';

/** Which sticky comment: the PR comment or the trend-issue comment. */
export type MarkerKind = 'pr' | 'trend';

/** GitHub refuses comment bodies longer than this (characters). */
export const COMMENT_MAX_CHARS = 65_536;

const PREFIX: Readonly<Record<MarkerKind, string>> = {
  pr: 'triton-throughput-gate',
  trend: 'triton-throughput-gate-trend',
};
const STATE_PREFIX = '<!-- triton-throughput-gate-state:';
// Keys are user text; a longer encoded key is replaced by its hash so the marker stays short.
const MAX_ENCODED_KEY_CHARS = 200;

/**
 * `key` as marker text that cannot end or break the HTML comment: percent-encoding leaves only
 * `[A-Za-z0-9_.%]`, so no `-->`, `--`, `>` or newline can appear, and it is injective, so the
 * markers of two keys never match each other (`a` vs `ab`: the marker ends with ` -->`).
 */
export function encodeMarkerKey(key: string): string {
  let encoded: string | undefined;
  try {
    encoded = encodeURIComponent(key).replace(
      /[-!'()*~]/g,
      (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    // A lone UTF-16 surrogate (URIError): no percent-encoding exists, the hash below does.
  }
  if (encoded !== undefined && encoded.length <= MAX_ENCODED_KEY_CHARS) return encoded;
  return `sha256.${createHash('sha256').update(key).digest('hex')}`;
}

/** The first line of a sticky comment for `benchmarkKey`. */
export function commentMarker(kind: MarkerKind, benchmarkKey: string): string {
  return `<!-- ${PREFIX[kind]}:${encodeMarkerKey(benchmarkKey)} -->`;
}

/** True when `body` is a sticky comment with `marker` (the marker must be its first line). */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  if (typeof body !== 'string') return false;
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.trim() === marker;
}

/**
 * A fingerprint of what a comment says, not of its numbers: the gate's verdict and every
 * cell's verdict. Two runs with the same verdicts have the same state, however their dps
 * moved within the noise; `comment: on-change` compares it with the posted comment's.
 */
export function resultStateOf(result: Pick<PipelineResult, 'comparison' | 'gate'>): string {
  const cells = result.comparison.cells.map((cell) => `${cell.maxBatch}x${cell.users}:${cell.verdict}`).sort();
  const text = JSON.stringify({ gate: result.gate.verdict, shouldFail: result.gate.shouldFail, cells });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The state recorded in a comment we wrote, or undefined (another version, edited by hand). */
export function readCommentState(body: string | null | undefined): string | undefined {
  if (typeof body !== 'string') return undefined;
  const start = body.indexOf(STATE_PREFIX);
  if (start < 0) return undefined;
  const match = /^([0-9a-f]{16}) -->/.exec(body.slice(start + STATE_PREFIX.length));
  return match?.[1];
}

/** Marker and state lines, a blank line, then the report markdown. */
export function composeCommentBody(marker: string, state: string, markdown: string): string {
  return `${marker}\n${STATE_PREFIX}${state} -->\n\n${markdown}`;
}

/** Characters the marker and state lines add to a report. */
export function commentOverheadChars(marker: string): number {
  return composeCommentBody(marker, '0'.repeat(16), '').length;
}
