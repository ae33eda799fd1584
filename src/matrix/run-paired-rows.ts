/**
 * The rows of a paired run (docs/statistics.md §11): per row both sides are put at the same
 * max_batch through their own controllers (the batch strategy applies to both models), both
 * are smoke-tested, then the row is measured in interleaved rounds. Both controllers restore
 * their model in `finally`, also on abort.
 */
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import type { ModelController } from '../control/model-controller.js';
import { errorMessage } from '../error-message.js';
import type { Clock } from '../load/closed-loop.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { Logger } from '../logger.js';
import type { Progress } from './measure-row.js';
import type { BaseSideResult, Cell, Row } from '../model/run-result.js';
import type { TritonClient } from '../triton/triton-client.js';
import { measurePairedRow, type RowSide } from './measure-paired-row.js';
import { shardRows } from './plan.js';
import { refuseMixedKinds } from './model-kind.js';
import { preparePairedSide, type PairedSide, type PreparedPairedSide } from './prepare-paired-side.js';
import type { SequenceIds } from '../load/sequence-plan.js';
import type { StreamTransport } from '../load/stream-transport.js';
import { serverLossOf } from './server-loss.js';
import { failedCell } from './summarize-cell.js';
import { warnIfSlow, type SmokedSide } from './warn-slow-cells.js';

/** The base side's connections (a second client when it is on another server). */
export interface BaseSideDeps {
  readonly client: TritonClient;
  readonly transport: InferTransport;
  /** Opens (once) the side's ModelStreamInfer transport (decoupled models); absent: they cannot be measured. */
  readonly streamTransport?: () => StreamTransport;
  readonly controller: ModelController;
  /**
   * Serves the base model before it is inspected (the zero-config base loads it from git,
   * docs/paired.md); absent when the base is already served.
   */
  readonly prepare?: (signal: AbortSignal) => Promise<void>;
}

type SideHandle = PairedSide;

/** The head side's deps (a subset of run-matrix.ts's MatrixDeps). */
interface MatrixDeps extends BaseSideDeps {
  readonly log: Logger;
  readonly files: ReadonlyMap<string, unknown>;
  readonly signal: AbortSignal;
  readonly now?: () => Date;
  readonly clock?: Clock;
  readonly onProgress?: (progress: Progress) => void;
}

/** What paired rows produce: the head side as `cells`, the base side beside it. */
export interface PairedRowsOutcome {
  readonly rows: Row[];
  readonly cells: Cell[];
  readonly notes: string[];
  readonly isAborted: boolean;
  /** Never set: the reference config is always read before paired rows (not `models`). */
  readonly firstConfig?: undefined;
  readonly base: BaseSideResult;
}

/** Runs this shard's rows paired; `base` holds the base side's cells in the head's order. */
export async function runPairedRows(
  config: Config,
  deps: MatrixDeps,
  baseDeps: BaseSideDeps,
  base: NonNullable<Config['paired']['base']>,
): Promise<PairedRowsOutcome> {
  const head: SideHandle = {
    client: deps.client,
    transport: deps.transport,
    ...(deps.streamTransport === undefined ? {} : { streamTransport: deps.streamTransport }),
    controller: deps.controller,
    model: config.matrix.model,
  };
  const other: SideHandle = { ...baseDeps, model: base.model };
  const rowsToRun = shardRows(config.matrix.maxBatch, config.matrix.shard);
  const total = rowsToRun.length * config.matrix.users.length * config.paired.minRounds * 2;
  const state: RunState = { order: 0, done: 0, total };
  const rows: Row[] = [];
  const headCells: Cell[] = [];
  const baseCells: Cell[] = [];
  const notes: string[] = [];
  let isAborted = false;
  try {
    for (const maxBatch of rowsToRun) {
      if (deps.signal.aborted) {
        isAborted = true;
        break;
      }
      const outcome = await runPairedRow(config, deps, { head, base: other }, maxBatch, state);
      rows.push(outcome.row);
      headCells.push(...outcome.head);
      baseCells.push(...outcome.base);
      if (outcome.isAborted) {
        isAborted = true;
        break;
      }
      if (outcome.lostServer !== undefined) {
        // As in stored mode (server-loss.ts): the rows not tried fail with the reason, at once.
        failRemainingRows(config, rowsToRun.slice(rowsToRun.indexOf(maxBatch) + 1), outcome.lostServer, {
          rows,
          headCells,
          baseCells,
        });
        notes.push(`${outcome.lostServer}; the run stopped at max_batch ${maxBatch}`);
        deps.log.warn(notes.at(-1) ?? '');
        break;
      }
    }
  } finally {
    for (const side of [head, other]) await restoreOrNote(side, deps, notes);
  }
  if (isAborted) notes.push('the run was interrupted; cells not measured are missing');
  const keep = (cells: Cell[]): Cell[] => (isAborted ? cells.filter((c) => c.trials.length > 0) : cells);
  const { minRounds, maxRounds } = config.paired;
  return {
    rows,
    cells: keep(headCells),
    notes,
    isAborted,
    base: { model: base.model, serverAddress: base.server.address, minRounds, maxRounds, cells: keep(baseCells) },
  };
}

interface PairedRowOutcome {
  readonly row: Row;
  readonly head: Cell[];
  readonly base: Cell[];
  readonly isAborted: boolean;
  /** Set when a side's server stopped answering during this row (server-loss.ts). */
  readonly lostServer?: string;
}

interface RunState {
  order: number;
  done: number;
  total: number;
  /** Sequence models: correlation IDs shared by both sides, never repeated in the run (created on first use). */
  sequenceIds?: SequenceIds;
}

async function runPairedRow(
  config: Config,
  deps: MatrixDeps,
  sides: { readonly head: SideHandle; readonly base: SideHandle },
  maxBatch: number,
  state: RunState,
): Promise<PairedRowOutcome> {
  const clock = deps.clock ?? performance.now.bind(performance);
  const startedMs = clock();
  const failRow = async (message: string, baseMessage: string | undefined): Promise<PairedRowOutcome> => {
    const cells = config.matrix.users.map((u) => failedCell(maxBatch, u, message));
    const applySeconds = (clock() - startedMs) / 1000;
    const lostServer = deps.signal.aborted ? undefined : await lostServerOf(sides);
    // A base that fails because the server is gone is no known broken row: the run failed.
    const known = lostServer === undefined && baseMessage !== undefined ? { baseMessage } : {};
    const row: Row = { maxBatch, model: sides.head.model, status: 'failed', message, applySeconds, ...known };
    return {
      row,
      head: cells,
      base: cells,
      isAborted: deps.signal.aborted,
      ...(lostServer === undefined ? {} : { lostServer }),
    };
  };
  const prepared = await prepareBoth(config, deps, { ...sides, state }, maxBatch);
  if ('message' in prepared) {
    deps.log.warn(`max_batch ${maxBatch}: ${prepared.message}`);
    return await failRow(prepared.message, prepared.baseMessage);
  }
  const applySeconds = (clock() - startedMs) / 1000;
  warnIfSlow(config, deps.log, maxBatch, prepared.smoked);
  const measured = await measurePairedRow(
    config,
    maxBatch,
    {
      sides: prepared.sides,
      signal: deps.signal,
      now: deps.now ?? (() => new Date()),
      requestTimeoutMs: config.server.requestTimeoutMs,
      clock: deps.clock,
      // Extra rounds of undecided cells add trials beyond the plan: the total grows with them.
      onTrial: (users) =>
        deps.onProgress?.({ maxBatch, users, done: ++state.done, total: Math.max(state.total, state.done) }),
      checkServer: (side) => lostServerOf({ [side]: sides[side] }),
    },
    state.order,
  );
  state.order = measured.nextOrder;
  const row: Row = { maxBatch, model: sides.head.model, status: 'ok', applySeconds };
  const lost = measured.lostServer === undefined ? {} : { lostServer: measured.lostServer };
  return { row, head: measured.head, base: measured.base, isAborted: measured.isAborted, ...lost };
}

/**
 * Puts both sides at the row. Both are tried even when the head fails: a row the base cannot
 * load either is a known broken row (reported), one only the head fails is this change's
 * failure (counted; decide-gate.ts).
 */
async function prepareBoth(
  config: Config,
  deps: MatrixDeps,
  sides: { readonly head: SideHandle; readonly base: SideHandle; readonly state: RunState },
  maxBatch: number,
): Promise<
  | { readonly sides: Record<'head' | 'base', RowSide>; readonly smoked: readonly SmokedSide[] }
  | { readonly message: string; readonly baseMessage?: string }
> {
  const attempt = (side: SideHandle): Promise<PreparedPairedSide | Error> =>
    preparePairedSide(config, deps, { side, ids: sides.state }, maxBatch).catch((err: unknown) => {
      // A config the model proves wrong stops the run (exit 2); anything else fails this row.
      if (err instanceof ConfigError) throw err;
      return new Error(errorMessage(err));
    });
  const head = await attempt(sides.head);
  if (deps.signal.aborted) return { message: head instanceof Error ? head.message : 'the run was stopped' };
  const base = await attempt(sides.base);
  if (!(head instanceof Error) && !(base instanceof Error)) {
    // With `models` no reference config was read before the rows: each row's own configs decide.
    refuseMixedKinds({ model: sides.head.model, kind: head.kind }, { model: sides.base.model, kind: base.kind });
    return { sides: { head: head.side, base: base.side }, smoked: [head.smoked, base.smoked] };
  }
  const message = head instanceof Error ? head.message : (base as Error).message;
  return base instanceof Error ? { message, baseMessage: base.message } : { message };
}

/** Whether the server of a side is gone (server-loss.ts); one probe per distinct server. */
async function lostServerOf(sides: Partial<Record<'head' | 'base', SideHandle>>): Promise<string | undefined> {
  const clients = [
    ...new Set([sides.head?.client, sides.base?.client].filter((c): c is TritonClient => c !== undefined)),
  ];
  for (const client of clients) {
    const reason = await serverLossOf(client);
    if (reason !== undefined) return clients.length === 1 ? reason : `${reason} (${client.address})`;
  }
  return undefined;
}

/** Rows never tried because a server is gone: failed on both sides, with the reason, so the gate sees them. */
function failRemainingRows(
  config: Config,
  remaining: readonly number[],
  reason: string,
  into: { rows: Row[]; headCells: Cell[]; baseCells: Cell[] },
): void {
  for (const maxBatch of remaining) {
    into.rows.push({ maxBatch, model: config.matrix.model, status: 'failed', message: reason, applySeconds: 0 });
    const cells = config.matrix.users.map((u) => failedCell(maxBatch, u, reason));
    into.headCells.push(...cells);
    into.baseCells.push(...cells);
  }
}

async function restoreOrNote(side: SideHandle, deps: MatrixDeps, notes: string[]): Promise<void> {
  try {
    await side.controller.restore();
  } catch (err: unknown) {
    // The journal's NOT restored line (control/model-journal.ts), already logged.
    notes.push(errorMessage(err));
  }
}
