/**
 * Logs the slow-cell warning of a row (docs/models.md#slow-cells) from what the row's smoke
 * requests showed: the edge around the pure slow-cell-warning.ts, for stored rows (run-row.ts)
 * and paired rows (run-paired-rows.ts) alike.
 */
import type { Config } from '../config/config.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { Logger } from '../logger.js';
import { warmupRequests } from './plan.js';
import { queueDelayUsOf, slowCellWarning } from './slow-cell-warning.js';

/** One side as its smoke request found it: the model, its served config and the request's time. */
export interface SmokedSide {
  readonly model: string;
  readonly config: ModelConfig;
  readonly smokeSeconds: number;
}

/**
 * Logs the warning when a cell of row `maxBatch` will be slow. One side is a stored row, measured
 * `trials` times per cell; two are a paired row's head and base, measured in at least
 * `min-rounds` rounds of both.
 */
export function warnIfSlow(config: Config, log: Logger, maxBatch: number, sides: readonly SmokedSide[]): void {
  const { matrix, paired } = config;
  const isPaired = sides.length > 1;
  const warning = slowCellWarning({
    row: maxBatch,
    sides: sides.map((side) => ({
      model: side.model,
      maxBatch: side.config.maxBatchSize,
      queueDelayUs: queueDelayUsOf(side.config),
      smokeSeconds: side.smokeSeconds,
    })),
    canSetQueueDelay: config.control.strategy === 'reload',
    users: matrix.users,
    itemsPerRequest: matrix.itemsPerRequest,
    ...(isPaired ? { trials: paired.minRounds, maxRounds: paired.maxRounds } : { trials: matrix.trials }),
    requests: matrix.requests,
    trialSeconds: matrix.trialSeconds,
    warmupRequests: (users) => warmupRequests(matrix.warmupRequests, users),
  });
  if (warning !== undefined) log.warn(warning);
}
