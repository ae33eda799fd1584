// The Trial record of a streaming trial (streamTrialOf) from real loop results on a simulated
// stream: rates over the steady window, responses/s, responses per request, empty finals,
// sequences/s; and the cell medians summarizeCell takes from them.
import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ModelInferRequestSchema } from '../../../src/gen/grpc_service_pb.js';
import { createSequenceIds } from '../../../src/load/sequence-plan.js';
import { runStreamLoop } from '../../../src/load/stream-loop.js';
import { streamTrialOf } from '../../../src/matrix/measure-stream-trial.js';
import { summarizeCell } from '../../../src/matrix/summarize-cell.js';
import { createRng } from '../../../src/rng.js';
import { createSimulatedStreamTransport } from '../load/simulated-stream-transport.js';

const STEP = toBinary(ModelInferRequestSchema, create(ModelInferRequestSchema, { modelName: 'm' }));

/** Each request: 3 responses 1 ms apart, then an empty final at +4 ms. */
const threeTokens = () => [
  { afterMs: 1 },
  { afterMs: 2 },
  { afterMs: 3 },
  { afterMs: 4, outputs: 0, final: true as const },
];

describe('streamTrialOf', () => {
  it('gives requests, responses and items per second over the steady window', async () => {
    const transport = createSimulatedStreamTransport({ script: threeTokens });
    const result = await runStreamLoop(
      transport,
      { users: 2, requests: 40, steps: [STEP], timeoutMs: 1e4 },
      { clock: transport.clock },
    );
    const trial = streamTrialOf(result, { itemsPerRequest: 2, order: 5, isStream: true }, undefined);
    expect(result.window.isSteady).toBe(true);
    // Two users, a request every 4 virtual ms each: 500 requests/s, 1500 responses/s.
    expect(trial.rps).toBeCloseTo(500, 6);
    expect(trial.dps).toBeCloseTo(1000, 6);
    expect(trial.stream?.responsesPerSecond).toBeCloseTo(1500, 6);
    expect(trial.stream).toMatchObject({
      responsesPerRequest: 3,
      emptyFinals: 40,
      zeroResponseRequests: 0,
      firstResponseMs: { p50: 1, p90: 1, p99: 1 },
      betweenResponsesMs: { p50: 1, p90: 1, p99: 1 },
    });
    expect(trial).toMatchObject({ requests: 40, errors: 0, order: 5, isSteady: true });
    expect(trial.sequences).toBeUndefined();
  });

  it('adds sequences/s for a sequence model, and no stream figures over unary calls', async () => {
    const transport = createSimulatedStreamTransport();
    const sequences = {
      length: 4,
      variationPct: 0,
      idKind: 'int64' as const,
      ids: createSequenceIds(),
      rng: createRng(1),
    };
    const result = await runStreamLoop(
      transport,
      { users: 2, requests: 80, steps: [STEP], timeoutMs: 1e4, sequences },
      { clock: transport.clock },
    );
    const trial = streamTrialOf(result, { itemsPerRequest: 1, order: 0, isStream: false, sequences }, undefined);
    expect(trial.stream).toBeUndefined();
    // A request per virtual ms per user, 4 per sequence: 500 sequences/s.
    expect(trial.sequences?.perSecond).toBeCloseTo(500, 6);
    expect(trial.sequences?.count).toBe(result.window.sequences);
  });

  it('falls back to the whole trial when the window cannot form', async () => {
    const transport = createSimulatedStreamTransport({ script: threeTokens });
    const result = await runStreamLoop(
      transport,
      { users: 2, requests: 2, steps: [STEP], timeoutMs: 1e4 },
      { clock: transport.clock },
    );
    const trial = streamTrialOf(result, { itemsPerRequest: 1, order: 0, isStream: true }, undefined);
    expect(trial.isSteady).toBe(false);
    expect(trial.seconds).toBeCloseTo(0.004, 9);
    expect(trial.stream?.responses).toBe(6);
  });
});

describe('summarizeCell with streaming trials', () => {
  it('takes the medians of responses/s and sequences/s over the good trials', async () => {
    const transport = createSimulatedStreamTransport({ script: threeTokens });
    const result = await runStreamLoop(
      transport,
      { users: 1, requests: 10, steps: [STEP], timeoutMs: 1e4 },
      { clock: transport.clock },
    );
    const base = streamTrialOf(result, { itemsPerRequest: 1, order: 0, isStream: true }, undefined);
    const trials = [100, 300, 200].map((rate, order) => ({
      ...base,
      order,
      stream: { ...(base.stream as NonNullable<typeof base.stream>), responsesPerSecond: rate },
      sequences: { count: 1, perSecond: rate / 10 },
    }));
    const cell = summarizeCell({ maxBatch: 8, users: 1, trials, latencyMs: base.latencyMs, reruns: 0, maxCv: 1 });
    expect(cell.responsesPerSecondMedian).toBe(200);
    expect(cell.sequencesPerSecondMedian).toBe(20);
  });
});
