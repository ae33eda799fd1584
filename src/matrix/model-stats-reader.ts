/**
 * Reads a model's ModelStatistics counters around each trial (server-stats.ts), for stored rows
 * (run-row.ts), capacity probes (probe-row.ts) and paired sides (prepare-paired-side.ts).
 */
import { errorMessage } from '../error-message.js';
import type { Logger } from '../logger.js';
import type { TritonClient } from '../triton/triton-client.js';
import type { StatsReader } from './measure-trial.js';
import { countersOf } from './server-stats.js';

/**
 * A StatsReader for `model` that turns itself off on its first failure (a server without the
 * statistics extension): the figures it feeds are informational, a run never needs them. With
 * `log`, that is warned once; paired sides pass none (a paired verdict never reads them).
 */
export function modelStatsReader(
  client: Pick<TritonClient, 'modelStatistics'>,
  target: { readonly model: string; readonly version: string; readonly signal: AbortSignal },
  log?: Logger,
): StatsReader {
  let hasStats = true;
  return async () => {
    if (!hasStats) return undefined;
    try {
      return countersOf(await client.modelStatistics(target.model, target.version, { signal: target.signal }));
    } catch (err: unknown) {
      hasStats = false;
      log?.warn(`ModelStatistics unavailable, formed-batch figures omitted: ${errorMessage(err)}`);
      return undefined;
    }
  };
}
