/**
 * The schema of the per-key run index (`benchmarks/<key>/index.json`, docs/baseline-store.md):
 * the one source of its validation and of the published `schemas/run-index.schema.json`.
 */
import { z } from 'zod';
import { environmentSchema, methodSchema } from './run-result-schema.js';

const text = () => z.string({ error: 'is not a string' });
const dpsByKey = () =>
  z.record(z.string(), z.number({ error: 'is not a number' }), { error: 'is not an object of numbers' });

/** One stored run as the index describes it (`IndexEntry`). */
export const indexEntrySchema = z.looseObject(
  {
    id: text(),
    path: text(),
    startedAt: text(),
    sha: text().optional(),
    ref: text().optional(),
    event: text().optional(),
    bestDps: dpsByKey(),
    cellDps: dpsByKey().optional(),
    cellLatencyMs: z
      .record(
        z.string(),
        z.object({ p50: z.number(), p90: z.number(), p99: z.number() }, { error: 'is not {p50, p90, p99}' }),
        { error: 'is not an object of latencies' },
      )
      .optional(),
    cellResponses: dpsByKey().optional(),
    environment: environmentSchema,
    method: methodSchema,
  },
  { error: 'is not an object' },
);

/** The index file (`RunIndex`), once its schemaVersion and key were checked. */
export const runIndexSchema = z.looseObject({
  schemaVersion: z.number().int(),
  benchmarkKey: z.string(),
  runs: z.array(indexEntrySchema, { error: 'is not an array' }),
  archived: z.array(indexEntrySchema, { error: 'is not an array' }),
});
