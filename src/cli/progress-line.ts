/**
 * Progress on stderr during long runs: one self-overwriting line on a TTY (cell, trial, ETA),
 * nothing when stderr is not a terminal (CI logs stay clean) or with --quiet.
 */
import type { Progress } from '../matrix/measure-row.js';

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Pure text of one progress line. */
export function progressText(progress: Progress, elapsedSeconds: number): string {
  const eta =
    progress.done === 0
      ? '?'
      : formatDuration((elapsedSeconds / progress.done) * Math.max(0, progress.total - progress.done));
  return `trial ${progress.done}/${progress.total} · max_batch ${progress.maxBatch}, ${progress.users} users · ETA ${eta}`;
}

/** A progress callback, or undefined when progress should not be shown. */
export function createProgressLine(
  isQuiet: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): ((p: Progress) => void) | undefined {
  if (isQuiet || !stream.isTTY) return undefined;
  const startMs = performance.now();
  return (progress) => {
    const text = progressText(progress, (performance.now() - startMs) / 1000);
    stream.write(`\r${text.padEnd(stream.columns > 0 ? Math.min(stream.columns - 1, 100) : 80)}`);
    if (progress.done >= progress.total) stream.write('\n');
  };
}
