/**
 * The model-state journal on the fake Triton (docs/reliability.md, "Model-state journal"): the
 * windows that used to skip the restore, a model served with a runtime override, and a server
 * that stops answering while the run restores.
 */
import { describe, expect, it } from 'vitest';
import { fakeModelConfig } from '../../support/fake-triton.js';
import { setUpEngine, within } from './engine-harness.js';

describe('the model-state journal', () => {
  it('restores a model aborted between the first row’s unload and its load (it was left unloaded)', async () => {
    const engine = await setUpEngine({
      faults: {
        onRepository: (event) => {
          if (event.rpc === 'unload') engine.abort.abort(new Error('interrupted by SIGINT'));
        },
      },
    });
    const run = await engine.run();
    expect(run.notes).toEqual(['the run was interrupted; cells not measured are missing']);
    expect(engine.events()).toEqual(['unload m', 'load m from disk -> ready']);
    expect(engine.fake.model('m')).toMatchObject({
      state: 'READY',
      served: expect.objectContaining({ maxBatchSize: 16 }) as unknown,
    });
    expect(engine.fake.model('m').served?.parameters['ttg_lease']).toBeUndefined();
  });

  it('gives back a runtime override exactly, not the file config', async () => {
    const engine = await setUpEngine({ models: [{ config: fakeModelConfig('m', 16) }] });
    engine.fake.reloadExternally('m', 12); // served at 12 by someone's override; config.pbtxt says 16
    const run = await engine.run();
    expect(run.rows).toMatchObject([{ maxBatch: 8, status: 'ok' }]);
    expect(run.notes).toEqual([]);
    expect(engine.events()).toEqual([
      'unload m',
      'load m max_batch=8 -> ready',
      'unload m',
      'load m from disk -> ready',
      'unload m',
      'load m max_batch=12 -> ready',
    ]);
    expect(engine.fake.model('m').served?.maxBatchSize).toBe(12);
    expect(engine.fake.model('m').served?.parameters['ttg_lease']).toBeUndefined();
  });

  it('gives up at once on a server that stopped answering, and says what is left and how to fix it', async () => {
    const engine = await setUpEngine({
      faults: {
        onInfer: (count) => {
          if (count !== 3) return;
          engine.fake.faults.stallAll = true;
          engine.abort.abort(new Error('interrupted by SIGINT'));
        },
      },
    });
    const run = await within(engine.run(), 25_000, 'a run whose server stalled');
    expect(run.notes.find((note) => note.includes('NOT restored'))).toMatch(
      /^model 'm' on .*: NOT restored: the server at .* does not answer \(ServerLive .*DEADLINE_EXCEEDED.*\); its state is unknown while the server does not answer; before the run it was served at max_batch_size 16; to fix: load 'm' again/,
    );
  }, 30_000);
});
