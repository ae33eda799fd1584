/**
 * The warning printed before a row whose cells will be slow (docs/models.md#slow-cells): a long
 * `dynamic_batching.max_queue_delay_microseconds` that every request waits out, or a slow first
 * request, times the requests each user sends in a cell. Without it a run on such a model prints
 * nothing but progress lines for minutes and looks like a hang. Pure.
 */
import type { ModelConfig } from '../gen/model_config_pb.js';

/** A cell whose requests are estimated to take longer than this (all its trials) is warned about. */
export const SLOW_CELL_SECONDS = 30;
/**
 * The model's own time for the smoke request counts only from this long. A row's first request
 * after a load is often far slower than the ones after it (lazy initialisation, cold caches): on
 * the 2-core CPU Triton a 69 ms first request of a model that then answers in about a
 * millisecond predicted a 48 s cell that took seconds. A model whose first request takes a
 * second or more is slow enough to say so even if later ones are faster.
 */
export const SLOW_FIRST_REQUEST_SECONDS = 1;

/**
 * One side measured at the row (stored mode has one; paired mode head and base, each measured
 * once per round): its served config and its smoke request.
 */
export interface SlowCellSide {
  /** The side's model, named in the warning when there are two sides. */
  readonly model: string;
  /** The served `max_batch_size`: what the batcher fills. */
  readonly maxBatch: number;
  /** The served `max_queue_delay_microseconds`; undefined without dynamic batching. */
  readonly queueDelayUs: number | undefined;
  /** How long the side's first (smoke) request took, alone on the model, in seconds. */
  readonly smokeSeconds: number;
}

/** What the estimate is made from: the row's sides, the run's settings. */
export interface SlowCellInputs {
  /** The row's max_batch (its label in progress lines). */
  readonly row: number;
  /** One side in stored mode; head and base in paired mode (a cell's round measures both, one after the other). */
  readonly sides: readonly SlowCellSide[];
  /** Whether `max-queue-delay-us` can change it (the `reload` strategy). */
  readonly canSetQueueDelay: boolean;
  readonly users: readonly number[];
  readonly itemsPerRequest: number;
  /** Trials of each side per cell: `trials` in stored mode, `min-rounds` in paired mode. */
  readonly trials: number;
  /** Paired mode: the rounds a cell still undecided after `trials` may reach (`max-rounds`). */
  readonly maxRounds?: number;
  /** Requests per trial (request mode); ignored with `trialSeconds`. */
  readonly requests: number;
  /** Time mode: each trial's window lasts this long, whatever the latency. */
  readonly trialSeconds: number | undefined;
  /** Warm-up requests of a trial at `users` (plan.ts `warmupRequests`). */
  readonly warmupRequests: (users: number) => number;
}

/** The served queue delay of a config: undefined when it has no dynamic batching. */
export function queueDelayUsOf(config: ModelConfig): number | undefined {
  const choice = config.schedulingChoice;
  return choice.case === 'dynamicBatching' ? Number(choice.value.maxQueueDelayMicroseconds) : undefined;
}

/** One slow cell: how long its requests take at least, and the side and cause most of it comes from. */
interface SlowCell {
  readonly users: number;
  readonly seconds: number;
  readonly side: SlowCellSide;
  readonly isQueueDelay: boolean;
}

/**
 * The warning for the row, or undefined when no cell is estimated above {@link SLOW_CELL_SECONDS}.
 * A user waits for each reply before its next request, so a side's trial lasts at least
 * requests per user × the time one request takes, and a cell lasts trials × the sum of its
 * sides' trials (paired rounds measure head and base one after the other). That time is at
 * least the queue delay when `users × items per request` cannot fill max_batch (the batcher then
 * holds every batch until the delay ends; preferred batch sizes are not considered), plus the
 * time the model took for the smoke request when that is at least {@link SLOW_FIRST_REQUEST_SECONDS}.
 * In time mode (`trial-seconds`) only the warm-up requests are counted: the window is bounded.
 */
export function slowCellWarning(inputs: SlowCellInputs): string | undefined {
  const slow = inputs.users.flatMap((users) => slowCellOf(inputs, users));
  const slowest = slow.reduce<SlowCell | undefined>(
    (a, b) => (a === undefined || b.seconds > a.seconds ? b : a),
    undefined,
  );
  if (slowest === undefined) return undefined;
  const cells = slow.map((cell) => plural(cell.users, 'user')).join(', ');
  const isPaired = inputs.sides.length > 1;
  const { side } = slowest;
  const why = slowest.isQueueDelay
    ? `dynamic_batching.max_queue_delay_microseconds is ${side.queueDelayUs ?? 0} and ${plural(slowest.users, 'user')} × ${plural(inputs.itemsPerRequest, 'item')} cannot fill max_batch ${side.maxBatch}, so every request waits ${formatSeconds(queueWaitSeconds(inputs, side, slowest.users))}`
    : `first request took ${formatSeconds(side.smokeSeconds)}`;
  const rounds = isPaired
    ? ` over ${plural(inputs.trials, 'round')} of both sides${inputs.maxRounds !== undefined && inputs.maxRounds > inputs.trials ? ` (up to ${inputs.maxRounds} while undecided)` : ''}`
    : '';
  return (
    `max_batch ${inputs.row}: the cell${slow.length === 1 ? '' : 's'} at ${cells} will take at least ` +
    `${formatSeconds(slowest.seconds)}${slow.length === 1 ? '' : ' (the slowest)'}${rounds}: ` +
    `${isPaired ? `on ${side.model}, the` : 'its'} ${why}. To shorten: ${fixesOf(inputs, slowest).join(', ')}.`
  );
}

function fixesOf(inputs: SlowCellInputs, slowest: SlowCell): string[] {
  return [
    ...(slowest.isQueueDelay
      ? [inputs.canSetQueueDelay ? 'a lower `max-queue-delay-us`' : "a lower queue delay in the model's config"]
      : []),
    ...(inputs.trialSeconds === undefined ? ['fewer `requests`', '`trial-seconds` to bound each trial'] : []),
    'fewer `warmup-requests`',
    ...(inputs.sides.length > 1 ? ['fewer `min-rounds` and `max-rounds`'] : []),
  ];
}

/**
 * At least how long one request of `users` takes on `side`: the queue delay it waits out plus
 * the smoke request's time beyond the delay that request waited itself (alone, it could fill
 * max_batch only with a full batch of items).
 */
function requestSeconds(inputs: SlowCellInputs, side: SlowCellSide, users: number): number {
  return queueWaitSeconds(inputs, side, users) + serviceSeconds(inputs, side);
}

function serviceSeconds(inputs: SlowCellInputs, side: SlowCellSide): number {
  const beyondQueue = side.smokeSeconds - queueWaitSeconds(inputs, side, 1);
  return beyondQueue >= SLOW_FIRST_REQUEST_SECONDS ? beyondQueue : 0;
}

function queueWaitSeconds(inputs: SlowCellInputs, side: SlowCellSide, users: number): number {
  const { queueDelayUs } = side;
  const isUnfilled = queueDelayUs !== undefined && users * inputs.itemsPerRequest < side.maxBatch;
  return isUnfilled ? queueDelayUs / 1e6 : 0;
}

function slowCellOf(inputs: SlowCellInputs, users: number): SlowCell[] {
  const warmup = Math.max(inputs.warmupRequests(users), users);
  const requests = inputs.trialSeconds === undefined ? inputs.requests + warmup : warmup;
  const perUser = Math.ceil(requests / users);
  const perSide = inputs.sides.map((side) => ({ side, seconds: requestSeconds(inputs, side, users) }));
  const seconds = inputs.trials * perUser * perSide.reduce((sum, s) => sum + s.seconds, 0);
  const cause = perSide.reduce<(typeof perSide)[number] | undefined>(
    (a, b) => (a === undefined || b.seconds > a.seconds ? b : a),
    undefined,
  );
  if (cause === undefined || seconds <= SLOW_CELL_SECONDS) return [];
  const { side } = cause;
  return [
    { users, seconds, side, isQueueDelay: queueWaitSeconds(inputs, side, users) >= serviceSeconds(inputs, side) },
  ];
}

function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
