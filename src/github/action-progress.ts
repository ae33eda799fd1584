/**
 * Progress in the job log: one line each time another tenth of the trials is done (a long run
 * shows it is alive without flooding the log; the CLI's self-overwriting line needs a TTY).
 */
import type { Logger } from '../logger.js';
import type { Progress } from '../matrix/measure-row.js';

/** A progress callback: the first trial, then one line per tenth (and again for confirmation re-runs). */
export function createActionProgress(log: Logger): (progress: Progress) => void {
  let lastTenth = -1;
  let lastDone = 0;
  return (progress) => {
    // A confirmation re-run counts its own trials from zero again.
    if (progress.done < lastDone) lastTenth = -1;
    lastDone = progress.done;
    const tenth = progress.total <= 0 ? 10 : Math.floor((10 * progress.done) / progress.total);
    if (tenth <= lastTenth) return;
    lastTenth = tenth;
    log.info(
      `trial ${progress.done}/${progress.total} · max_batch ${progress.maxBatch}, ${progress.users} ${progress.users === 1 ? 'user' : 'users'}`,
    );
  };
}
