// Stored runs with the streaming and sequence fields (issue 19) load; runs stored before them
// still load; a corrupt streaming figure is skipped naming the field.
import { describe, expect, it } from 'vitest';
import { storedRunText, validateStoredRun } from '../../../src/baseline/stored-run.js';
import { makeRun } from '../../support/baseline-runs.js';

type Json = Record<string, unknown>;

function streamingRunJson(): Json {
  const json = JSON.parse(storedRunText(makeRun({ sha: 'b'.repeat(40) }))) as Json;
  const method = json['method'] as Json;
  method['protocol'] = 'ModelStreamInfer';
  method['sequence'] = { length: 20, variationPct: 20, idKind: 'int64' };
  const cell = (json['cells'] as Json[])[0] as Json;
  cell['responsesPerSecondMedian'] = 1234.5;
  cell['sequencesPerSecondMedian'] = 12.5;
  const trial = firstTrial(json);
  trial['stream'] = {
    responses: 900,
    responsesPerSecond: 1800,
    responsesPerRequest: 3,
    firstResponseMs: { p50: 1, p90: 2, p99: 3 },
    betweenResponsesMs: { p50: 0.1, p90: 0.2, p99: 0.3 },
    emptyFinals: 300,
    zeroResponseRequests: 0,
  };
  trial['sequences'] = { count: 15, perSecond: 30 };
  return json;
}

function firstTrial(json: Json): Json {
  return (((json['cells'] as Json[])[0] as Json)['trials'] as Json[])[0] as Json;
}

function skipped(json: Json): string {
  const result = validateStoredRun(json);
  if (!('skipped' in result)) throw new Error('expected the run to be skipped');
  return result.skipped;
}

describe('stored runs with streaming and sequence figures', () => {
  it('load with every new field as written', () => {
    const json = streamingRunJson();
    const result = validateStoredRun(json);
    expect(result).toEqual({ run: json });
  });

  it('load when written before the fields existed', () => {
    expect('run' in validateStoredRun(JSON.parse(storedRunText(makeRun({ sha: 'c'.repeat(40) }))))).toBe(true);
  });

  it.each<[string, (json: Json) => void, string]>([
    [
      'a negative responses/s',
      (json) => {
        (firstTrial(json)['stream'] as Json)['responsesPerSecond'] = -1;
      },
      '`cells[0].trials[0].stream.responsesPerSecond` is not a number >= 0',
    ],
    [
      'sequences/s of 1e308',
      (json) => {
        (firstTrial(json)['sequences'] as Json)['perSecond'] = 1e308;
      },
      '`cells[0].trials[0].sequences.perSecond` is above 1000000000000: no measurement gives that',
    ],
    [
      'an unknown protocol',
      (json) => {
        (json['method'] as Json)['protocol'] = 'HTTP';
      },
      '`method.protocol` is not one of ModelInfer, ModelStreamInfer',
    ],
    [
      'a sequence length of 0',
      (json) => {
        ((json['method'] as Json)['sequence'] as Json)['length'] = 0;
      },
      '`method.sequence.length` is not an integer >= 1',
    ],
  ])('skip %s, naming the field', (_what, corrupt, reason) => {
    const json = streamingRunJson();
    corrupt(json);
    expect(skipped(json)).toBe(`not a valid triton-throughput-gate result: ${reason}`);
  });
});
