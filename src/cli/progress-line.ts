/**
 * Progress on stderr during long runs: one self-overwriting line on a TTY (cell, trial, ETA);
 * when stderr is not a terminal (CI logs), one plain line every HEARTBEAT_MS, so a slow cell (a
 * long queue delay, a slow first response) never looks like a hang (issue 19); nothing with --quiet.
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
  return `trial ${progress.done}/${progress.total} · max_batch ${progress.maxBatch}, ${progress.users} ${progress.users === 1 ? 'user' : 'users'} · ETA ${eta}`;
}

/** How often a plain progress line is written when stderr is not a terminal. */
export const HEARTBEAT_MS = 10_000;

/** Pure text of one plain (non-terminal) progress line: the last trial done, elapsed time, ETA. */
export function heartbeatText(progress: Progress | undefined, elapsedSeconds: number): string {
  const elapsed = `elapsed ${formatDuration(elapsedSeconds)}`;
  if (progress === undefined) return `progress: measuring the first trial · ${elapsed}`;
  return `progress: ${progressText(progress, elapsedSeconds)} · ${elapsed}`;
}

/** Shows progress until `dispose` (always call it: the plain line runs on a timer). */
export interface ProgressLine {
  readonly onProgress: (progress: Progress) => void;
  dispose(): void;
}

/** The progress line for `stream`, or undefined with --quiet. */
export function createProgressLine(
  isQuiet: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressLine | undefined {
  if (isQuiet) return undefined;
  const startMs = performance.now();
  const elapsedSeconds = (): number => (performance.now() - startMs) / 1000;
  if (!stream.isTTY) return plainProgress(stream, elapsedSeconds);
  return {
    onProgress: (progress) => {
      const text = progressText(progress, elapsedSeconds());
      stream.write(`\r${text.padEnd(stream.columns > 0 ? Math.min(stream.columns - 1, 100) : 80)}`);
      if (progress.done >= progress.total) stream.write('\n');
    },
    dispose: () => undefined,
  };
}

/** One line every HEARTBEAT_MS with the latest progress; the timer never keeps the process alive. */
function plainProgress(stream: NodeJS.WritableStream, elapsedSeconds: () => number): ProgressLine {
  let latest: Progress | undefined;
  const timer = setInterval(() => {
    stream.write(`${heartbeatText(latest, elapsedSeconds())}\n`);
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    onProgress: (progress) => {
      latest = progress;
    },
    dispose: () => {
      clearInterval(timer);
    },
  };
}
