/**
 * The closed loop for streaming (decoupled) and sequence models (docs/architecture.md#measurement):
 * U users, each with one request in flight, sending its next request when the previous one's
 * final response (`triton_final_response`) arrived. Users share streams: user u writes on
 * stream `u mod streams`, so with U > streams several requests are in flight per stream, as
 * perf_analyzer spreads its concurrency over its worker threads' streams. With a sequence plan
 * each user runs sequences one after another (START on the first request, END on the last) and
 * has a stream of its own.
 *
 * Per request the hot path writes a ~20-byte tail (request id, sequence flags) into one scratch
 * buffer, makes two clock reads and one histogram record per response, and nothing else: the
 * request bytes are the cell's, encoded once (`request-tail.ts`).
 */
import type { Clock } from './closed-loop.js';
import { requestsForUser } from './closed-loop.js';
import type { InferFailure } from './infer-transport.js';
import { MAX_TAIL_BYTES, writeRequestTail } from './request-tail.js';
import { createSequenceCursor, type SequenceCursor, type SequencePlan } from './sequence-plan.js';
import { createSteadyWindow, type SteadyWindow, type WindowEdges } from './steady-window.js';
import { createStreamTally, type StreamLoopResult, type StreamTally } from './stream-tally.js';
import type { InferStream, StreamHandlers, StreamResponse, StreamTransport } from './stream-transport.js';

export type { StreamLoopResult } from './stream-tally.js';

/** perf_analyzer's default `--max-threads`: its streams for non-sequence models at any concurrency. */
export const DEFAULT_MAX_STREAMS = 16;

/** What one streaming closed loop sends. */
export interface StreamLoopPlan {
  /** Concurrent users, >= 1 (concurrent sequences with `sequences`). */
  readonly users: number;
  /** Requests in total, split over the users as the unary loop splits them; ignored with `windowMs`. */
  readonly requests: number;
  /** Time mode: users keep sending until the steady window has lasted this long (ms). */
  readonly windowMs?: number;
  /**
   * Pre-encoded ModelInferRequest bytes per data step (for a stream, `EMPTY_FINAL_OPT_IN`
   * included); at least one. Used round-robin, or by position within a sequence.
   */
  readonly steps: readonly Uint8Array[];
  /** A request without its final response after this long fails the trial (DEADLINE_EXCEEDED). */
  readonly timeoutMs: number;
  /** Streams the users share (default min(users, DEFAULT_MAX_STREAMS)); one per user with `sequences`. */
  readonly maxStreams?: number;
  /** Sequence models: how sequences are planned. */
  readonly sequences?: SequencePlan;
}

/** Options of `runStreamLoop`. */
export interface StreamLoopOptions {
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called at the steady window's edges (must not block). */
  readonly windowEdges?: WindowEdges;
}

/** Statuses after which more requests would only wait or fail the same way (as the unary loop). */
const FATAL_STATUSES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED', 'UNKNOWN']);
const MIN_SWEEP_MS = 5;
const MAX_SWEEP_MS = 1_000;

interface Slot {
  stream: InferStream | undefined;
  /** Users of this stream still sending. */
  running: number;
  readonly users: User[];
  readonly handlers: StreamHandlers;
}

interface User {
  readonly index: number;
  readonly slot: Slot;
  readonly cursor: SequenceCursor | undefined;
  remaining: number;
  sentCount: number;
  /** Id of the request in flight, -1 when none. */
  requestId: number;
  sentAtMs: number;
  /** Time of the last non-empty response of the request in flight, -1 before the first. */
  lastResponseMs: number;
  responses: number;
  /** The request in flight ends its sequence. */
  isEnding: boolean;
  failure: InferFailure | null;
}

/** Runs one streaming closed loop; never rejects (failures are counted in the result). */
export function runStreamLoop(
  transport: StreamTransport,
  plan: StreamLoopPlan,
  options: StreamLoopOptions = {},
): Promise<StreamLoopResult> {
  if (plan.steps.length === 0) throw new Error('runStreamLoop: plan.steps is empty');
  return new Promise((resolve) => {
    new StreamLoop(transport, plan, options, resolve).start();
  });
}

class StreamLoop {
  private readonly clock: Clock;
  private readonly tally: StreamTally;
  /** By user index; undefined for a user with no requests. */
  private readonly users: (User | undefined)[] = [];
  private readonly slots: Slot[] = [];
  private readonly tail = Buffer.allocUnsafe(MAX_TAIL_BYTES);
  private readonly window: SteadyWindow;
  private nextStep = 0;
  private active = 0;
  private isStopped = false;
  private isFinished = false;
  private startMs = 0;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly transport: StreamTransport,
    private readonly plan: StreamLoopPlan,
    private readonly options: StreamLoopOptions,
    private readonly resolve: (result: StreamLoopResult) => void,
  ) {
    this.clock = options.clock ?? performance.now.bind(performance);
    this.tally = createStreamTally();
    const edges = this.tally.edges(options.windowEdges);
    this.window = createSteadyWindow(plan.users, plan.windowMs, edges);
  }

  start(): void {
    const { plan, options } = this;
    const streams =
      plan.sequences !== undefined
        ? plan.users
        : Math.max(1, Math.min(plan.users, plan.maxStreams ?? DEFAULT_MAX_STREAMS));
    for (let s = 0; s < streams; s++) this.slots.push(this.createSlot());
    this.startMs = this.clock();
    if (options.signal?.aborted === true) this.isStopped = true;
    options.signal?.addEventListener('abort', this.stop, { once: true });
    for (let i = 0; i < plan.users && !this.isStopped; i++) {
      const quota = plan.windowMs === undefined ? requestsForUser(plan.requests, plan.users, i) : Infinity;
      if (quota === 0) continue;
      const slot = this.slots[i % streams] as Slot;
      const cursor = plan.sequences === undefined ? undefined : createSequenceCursor(plan.sequences);
      const user: User = {
        index: i,
        slot,
        cursor,
        remaining: quota,
        sentCount: 0,
        requestId: -1,
        sentAtMs: 0,
        lastResponseMs: -1,
        responses: 0,
        isEnding: false,
        failure: null,
      };
      this.users[i] = user;
      slot.users.push(user);
      slot.running++;
      this.active++;
    }
    if (this.active === 0) {
      this.finish();
      return;
    }
    const sweepMs = Math.min(MAX_SWEEP_MS, Math.max(MIN_SWEEP_MS, Math.ceil(plan.timeoutMs / 10)));
    this.sweepTimer = setInterval(this.sweep, sweepMs);
    this.sweepTimer.unref();
    for (const user of this.users) if (user !== undefined) this.send(user);
  }

  private createSlot(): Slot {
    const slot: Slot = {
      stream: undefined,
      running: 0,
      users: [],
      handlers: {
        onResponse: (response) => {
          this.onResponse(slot, response);
        },
        onEnd: (failure) => {
          this.onEnd(slot, failure);
        },
      },
    };
    return slot;
  }

  private send(user: User): void {
    const { plan } = this;
    const flags = user.cursor?.next(user.remaining === 1);
    const stepCount = plan.steps.length;
    let step: number;
    if (user.cursor !== undefined) step = user.cursor.step % stepCount;
    else {
      step = this.nextStep;
      this.nextStep = step + 1 === stepCount ? 0 : step + 1;
    }
    const id = user.sentCount * plan.users + user.index;
    user.sentCount++;
    const length = writeRequestTail(this.tail, id, flags);
    user.requestId = id;
    user.isEnding = flags?.isEnd === true;
    user.lastResponseMs = -1;
    user.responses = 0;
    user.failure = null;
    this.tally.sent++;
    const slot = user.slot;
    slot.stream ??= this.transport.openStream(slot.handlers);
    user.sentAtMs = this.clock();
    slot.stream.write(id, plan.steps[step] as Uint8Array, this.tail, length);
  }

  private onResponse(slot: Slot, response: StreamResponse): void {
    if (this.isFinished) return;
    const id = response.requestId;
    const user = id < 0 ? undefined : this.users[id % this.plan.users];
    if (user === undefined || user.requestId !== id || user.slot !== slot) {
      this.tally.unmatchedResponses++;
      return;
    }
    const nowMs = this.clock();
    if (response.errorStatus !== '') user.failure ??= { status: response.errorStatus, message: response.error };
    if (response.outputs > 0) {
      this.tally.recordResponse(
        user.lastResponseMs < 0 ? nowMs - user.sentAtMs : nowMs - user.lastResponseMs,
        user.lastResponseMs < 0,
      );
      user.lastResponseMs = nowMs;
      user.responses++;
    } else if (response.final === 1 && response.errorStatus === '') {
      this.tally.emptyFinals++;
    }
    // A missing flag ends the request, as Triton's own C++ client reads it (errors before issue carry none).
    if (response.final !== 0) this.complete(user, nowMs);
  }

  private complete(user: User, nowMs: number): void {
    user.requestId = -1;
    const failure = user.failure;
    if (failure === null) this.tally.recordSuccess(nowMs - user.sentAtMs, user.responses === 0, user.isEnding);
    else this.recordFailure(failure);
    this.afterReply(user, nowMs, failure === null);
  }

  private recordFailure(failure: InferFailure): void {
    this.tally.recordFailure(failure);
    if (FATAL_STATUSES.has(failure.status)) this.stop();
  }

  private afterReply(user: User, nowMs: number, isOk: boolean): void {
    const isUserDone = --user.remaining <= 0 || this.isStopped;
    const isWindowClosed = this.window.reply(user.index, nowMs, isOk, isUserDone);
    // Time mode: the window's end is the trial's end; a user inside a sequence sends one more
    // request to end it (outside the window), every other user stops here.
    if (this.plan.windowMs !== undefined && isWindowClosed) {
      const isInsideSequence = user.cursor !== undefined && !user.isEnding && user.remaining > 0;
      user.remaining = Math.min(user.remaining, isInsideSequence ? 1 : 0);
    }
    if (user.remaining > 0 && !this.isStopped) {
      this.send(user);
      return;
    }
    if (--user.slot.running === 0) user.slot.stream?.end();
    if (--this.active === 0) this.finish();
  }

  private onEnd(slot: Slot, failure: InferFailure | null): void {
    slot.stream = undefined;
    if (this.isFinished) return;
    const ended = failure ?? {
      status: 'INTERNAL',
      message: 'the server ended the stream with OK before the final response of every request',
    };
    const nowMs = this.clock();
    for (const user of slot.users) {
      if (user.requestId < 0) continue;
      user.requestId = -1;
      this.recordFailure(user.failure ?? ended);
      this.afterReply(user, nowMs, false);
    }
  }

  /** Fails requests past their deadline; DEADLINE_EXCEEDED stops the loop (fatal). */
  private readonly sweep = (): void => {
    const nowMs = this.clock();
    for (const user of this.users) {
      if (user === undefined || user.requestId < 0 || nowMs - user.sentAtMs < this.plan.timeoutMs) continue;
      user.requestId = -1;
      this.recordFailure({
        status: 'DEADLINE_EXCEEDED',
        message: `no final response within ${this.plan.timeoutMs} ms (${user.responses} responses before)`,
      });
      this.afterReply(user, nowMs, false);
    }
  };

  private readonly stop = (): void => {
    if (this.isStopped) return;
    this.isStopped = true;
    for (const slot of this.slots) slot.stream?.cancel();
  };

  private finish(): void {
    this.isFinished = true;
    clearInterval(this.sweepTimer);
    this.options.signal?.removeEventListener('abort', this.stop);
    this.resolve(this.tally.result(this.clock() - this.startMs, this.isStopped, this.window.result()));
  }
}
