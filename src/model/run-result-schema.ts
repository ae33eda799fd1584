/**
 * The schema of the persisted RunResult file (docs/baseline-store.md): the one source of its
 * validation and of the published `schemas/run-result.schema.json`. It checks the stable core
 * the readers rely on (see run-result.ts) and lets every other field through, so files written
 * by older versions still load and newer optional fields need no schema change. Each check
 * carries the words a skipped-file warning uses (`cells[0].users` is not an integer >= 1).
 */
import { z } from 'zod';

const text = () => z.string({ error: 'is not a string' });
const number = () => z.number({ error: 'is not a number' });
const count = (min: 0 | 1) => {
  const error = `is not an integer >= ${min}`;
  return z.number({ error }).int({ error }).min(min, { error });
};
const amount = () => {
  const error = 'is not a number >= 0';
  return z.number({ error }).min(0, { error });
};

/**
 * A trial figure: a number >= 0 and at most a trillion. No server serves a trillion items (or
 * requests) per second; a value like 1e308 is a corrupt or forged file and would make every
 * change -100 % (docs/errors.md).
 */
const measured = () => amount().max(MAX_PLAUSIBLE, { error: `is above ${MAX_PLAUSIBLE}: no measurement gives that` });

const MAX_PLAUSIBLE = 1e12;

/** What must match for two runs to be compared (`Environment`). */
export const environmentSchema = z.looseObject(
  {
    tritonVersion: text(),
    model: text(),
    modelVersion: text(),
    configHash: text(),
    clientHost: text(),
    label: text(),
    // The fingerprint's later fields (docs/baseline-store.md#fingerprint): optional, so runs
    // stored before them still load; checked when present, since the report prints them.
    transport: text().optional(),
    gpus: z.array(text(), { error: 'is not an array of strings' }).optional(),
    gpuNames: z.array(text(), { error: 'is not an array of strings' }).optional(),
    gpuDriver: text().optional(),
    toolVersion: text().optional(),
    batching: z
      .looseObject(
        {
          isDynamic: z.boolean({ error: 'is not a boolean' }),
          maxQueueDelayUs: amount(),
          preferredBatchSizes: z.array(count(1), { error: 'is not an array of integers >= 1' }),
        },
        { error: 'is not an object' },
      )
      .optional(),
  },
  { error: 'is missing or not an object' },
);

/** How the cells were measured (`Method`). */
export const methodSchema = z.looseObject(
  {
    batchStrategy: text(),
    requests: number(),
    itemsPerRequest: number(),
    trials: number(),
    warmupRequests: z.number({ error: 'is neither a number nor null' }).nullable().optional(),
    inputs: z.array(text(), { error: 'is not an array of strings' }),
    // Streaming and sequence models (issue 19): optional, so every run stored before them loads.
    protocol: z
      .enum(['ModelInfer', 'ModelStreamInfer'], { error: 'is not one of ModelInfer, ModelStreamInfer' })
      .optional(),
    sequence: z
      .looseObject(
        {
          length: count(1),
          variationPct: amount(),
          idKind: z.enum(['int64', 'string'], { error: 'is not one of int64, string' }),
        },
        { error: 'is not an object' },
      )
      .optional(),
    modelKind: z
      .looseObject(
        {
          kind: z.enum(['batching', 'non-batching', 'ensemble', 'decoupled', 'sequence'], {
            error: 'is not one of batching, non-batching, ensemble, decoupled, sequence',
          }),
          reason: text(),
        },
        { error: 'is not an object' },
      )
      .optional(),
  },
  { error: 'is missing or not an object' },
);

const trialSchema = z.looseObject(
  {
    requests: measured(),
    items: measured(),
    seconds: measured(),
    dps: measured(),
    errors: measured(),
    // Decoupled and sequence models: the figures a gate may use are checked when present.
    stream: z
      .looseObject(
        { responses: measured(), responsesPerSecond: measured(), responsesPerRequest: measured() },
        { error: 'is not an object' },
      )
      .optional(),
    sequences: z.looseObject({ count: measured(), perSecond: measured() }, { error: 'is not an object' }).optional(),
  },
  { error: 'is not an object' },
);

const cellSchema = z.looseObject(
  {
    maxBatch: count(0),
    users: count(1),
    status: z.enum(['ok', 'noisy', 'failed'], { error: 'is not one of ok, noisy, failed' }),
    trials: z.array(trialSchema, { error: 'is missing or not an array' }),
    responsesPerSecondMedian: measured().optional(),
    sequencesPerSecondMedian: measured().optional(),
  },
  { error: 'is not an object' },
);

/**
 * A stored RunResult of a schemaVersion this version reads. `source`, `rows` and `notes`
 * default to empty when absent so readers never meet `undefined` there.
 */
export const runResultSchema = z.looseObject({
  schemaVersion: z.number({ error: 'is not an integer >= 1' }).int({ error: 'is not an integer >= 1' }).min(1),
  id: text(),
  benchmarkKey: text(),
  startedAt: text(),
  source: z.looseObject({ sha: text().optional() }, { error: 'is not an object' }).default({}),
  rows: z.array(z.unknown(), { error: 'is not an array' }).default([]),
  notes: z.array(z.unknown(), { error: 'is not an array' }).default([]),
  isComplete: z.boolean({ error: 'is not a boolean' }),
  environment: environmentSchema,
  method: methodSchema,
  cells: z.array(cellSchema, { error: 'is missing or not an array' }),
  // A shard's part of the matrix and a merged run's shards (docs/architecture.md, `merge`).
  shard: z
    .looseObject(
      {
        index: z.number({ error: 'is not an integer >= 1' }).int({ error: 'is not an integer >= 1' }).min(1),
        count: z.number({ error: 'is not an integer >= 2' }).int({ error: 'is not an integer >= 2' }).min(2),
        maxBatch: z.array(z.number({ error: 'is not a number' }), { error: 'is not an array' }),
      },
      { error: 'is not an object' },
    )
    .optional(),
  mergedFrom: z.array(text(), { error: 'is not an array' }).optional(),
});

/** The first issue of a failed parse as `` `path` problem `` (`cells[0].users` is not ...). */
export function firstIssueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'is not valid';
  const path = issue.path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return path === '' ? issue.message : `\`${path}\` ${issue.message}`;
}
