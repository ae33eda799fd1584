/**
 * The rows of a stored-mode run measured interleaved (`row-rounds` N > 1;
 * docs/answers.md#measuring-rows-interleaved): N rounds visit every row in turn (plan.ts
 * `planRowRounds`), each visit runs one row's steps (run-row.ts: put the server at its
 * max_batch, smoke-test, measure the visit's share of trials, check no other run changed the
 * model), and a row's cells are summarised over all its visits at the end. Rows measured minutes
 * apart can differ by drift; spread over the same rounds, drift reaches every row alike.
 */
import type { Config } from '../config/config.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import type { CapacityProbe, Cell, Row } from '../model/run-result.js';
import { emptyCellState, mergeCellState, summarizeRowCells, type CellState } from './measure-row.js';
import { planRowRounds, type RowVisit } from './plan.js';
import { runRow, type RowOutcome, type RowRunDeps, type RowRunState } from './run-row.js';
import { failedCell } from './summarize-cell.js';

/** What the rounds produced (run-matrix.ts assembles the run from it). */
export interface RowRoundsOutcome {
  readonly rows: Row[];
  readonly cells: Cell[];
  readonly capacity: CapacityProbe[];
  readonly isAborted: boolean;
  /** Run-level notes: the server stopped answering (the rows not finished failed with the reason). */
  readonly notes: string[];
  readonly firstConfig?: ModelConfig;
}

/** One row's record over its visits. */
interface RowRecord {
  readonly states: Map<number, CellState>;
  applySeconds: number;
  model: string;
  isFinished: boolean;
  probe?: CapacityProbe;
  /** The visit that failed (load, smoke test, lease): the row's outcome. */
  failed?: RowOutcome;
}

/** Runs one visit; a visit during which another run changed the model is measured again, once. */
async function runVisit(
  config: Config,
  deps: RowRunDeps,
  visit: RowVisit,
  records: Map<number, RowRecord>,
  state: RowRunState,
): Promise<RowOutcome> {
  const record = records.get(visit.maxBatch);
  const plan = { trials: visit.trials, prior: record?.states ?? new Map<number, CellState>(), isLast: visit.isLast };
  const outcome = await runRow(config, deps, visit.maxBatch, state, plan);
  if (outcome.isModelChanged !== true || outcome.isAborted) return outcome;
  // The next apply waits for the run that changed it (docs/reliability.md#lease); one more try.
  deps.log.warn(`max_batch ${visit.maxBatch}: ${outcome.row.message ?? ''}; measuring the visit again`);
  return runRow(config, deps, visit.maxBatch, state, plan);
}

/** Adds a visit that stood to its row's record. */
function recordVisit(records: Map<number, RowRecord>, visit: RowVisit, outcome: RowOutcome): void {
  const record = records.get(visit.maxBatch) ?? {
    states: new Map<number, CellState>(),
    applySeconds: 0,
    model: outcome.row.model,
    isFinished: false,
  };
  for (const [users, measured] of outcome.states ?? []) {
    const into = record.states.get(users) ?? emptyCellState();
    mergeCellState(into, measured);
    record.states.set(users, into);
  }
  record.applySeconds += outcome.row.applySeconds;
  record.isFinished = visit.isLast;
  if (outcome.probe !== undefined) record.probe = outcome.probe;
  records.set(visit.maxBatch, record);
}

/** Measures `rows` in `config.matrix.rowRounds` rounds; the caller restores the model. */
export async function runRowRounds(
  config: Config,
  deps: RowRunDeps,
  rows: readonly number[],
  state: RowRunState,
): Promise<RowRoundsOutcome> {
  const { matrix } = config;
  const visits = planRowRounds(rows, matrix.users, matrix);
  const records = new Map<number, RowRecord>();
  let firstConfig: ModelConfig | undefined;
  let isAborted = false;
  let lost: { readonly reason: string; readonly maxBatch: number } | undefined;
  for (const visit of visits) {
    if (records.get(visit.maxBatch)?.failed !== undefined) continue;
    if (deps.signal.aborted) {
      isAborted = true;
      break;
    }
    const outcome = await runVisit(config, deps, visit, records, state);
    if (outcome.row.status === 'failed') {
      // A row that cannot be put at its max_batch on any visit is failed, as in a run without rounds.
      records.set(visit.maxBatch, { ...(records.get(visit.maxBatch) ?? newRecord(outcome)), failed: outcome });
    } else {
      recordVisit(records, visit, outcome);
      firstConfig ??= outcome.config;
    }
    if (outcome.isAborted) isAborted = true;
    if (outcome.lostServer !== undefined) lost = { reason: outcome.lostServer, maxBatch: visit.maxBatch };
    if (isAborted || lost !== undefined) break;
  }
  const notes = lost === undefined ? [] : [`${lost.reason}; the run stopped at max_batch ${lost.maxBatch}`];
  for (const note of notes) deps.log.warn(note);
  return {
    ...assemble(config, rows, records, lost),
    capacity: probesOf(rows, records),
    isAborted,
    notes,
    ...(firstConfig === undefined ? {} : { firstConfig }),
  };
}

function newRecord(outcome: RowOutcome): RowRecord {
  return { states: new Map(), applySeconds: 0, model: outcome.row.model, isFinished: false };
}

/**
 * Rows and cells in row order: a failed row as its failing visit left it; a row the server was
 * lost before it finished failed with the reason (the row it was lost on keeps what it
 * measured, errors included); every other row summarised over its visits.
 */
function assemble(
  config: Config,
  rows: readonly number[],
  records: ReadonlyMap<number, RowRecord>,
  lost: { readonly reason: string; readonly maxBatch: number } | undefined,
): { rows: Row[]; cells: Cell[] } {
  const out: { rows: Row[]; cells: Cell[] } = { rows: [], cells: [] };
  for (const maxBatch of rows) {
    const record = records.get(maxBatch);
    if (record?.failed !== undefined) {
      out.rows.push(record.failed.row);
      out.cells.push(...record.failed.cells);
    } else if (lost !== undefined && record?.isFinished !== true && lost.maxBatch !== maxBatch) {
      const model = record?.model ?? config.matrix.model;
      out.rows.push({
        maxBatch,
        model,
        status: 'failed',
        message: lost.reason,
        applySeconds: record?.applySeconds ?? 0,
      });
      out.cells.push(...config.matrix.users.map((users) => failedCell(maxBatch, users, lost.reason)));
    } else if (record !== undefined) {
      out.rows.push({ maxBatch, model: record.model, status: 'ok', applySeconds: record.applySeconds });
      out.cells.push(...summarizeRowCells(config.matrix, maxBatch, record.states));
    }
  }
  return out;
}

/** The rows' capacity probes, in row order (each taken on the row's last visit). */
function probesOf(rows: readonly number[], records: ReadonlyMap<number, RowRecord>): CapacityProbe[] {
  return rows.flatMap((maxBatch) => {
    const record = records.get(maxBatch);
    const probe = record?.failed?.probe ?? record?.probe;
    return probe === undefined ? [] : [probe];
  });
}
