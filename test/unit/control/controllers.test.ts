// The strategy table and the `models` strategy's row names (pure parts of control/).
import { describe, expect, it } from 'vitest';
import { BATCH_STRATEGIES } from '../../../src/config/config.js';
import { CONTROLLER_FACTORIES } from '../../../src/control/controllers.js';
import { modelForRow } from '../../../src/control/models-controller.js';

describe('CONTROLLER_FACTORIES', () => {
  it('has a factory for every batch strategy and nothing else', () => {
    expect(Object.keys(CONTROLLER_FACTORIES).sort()).toEqual([...BATCH_STRATEGIES].sort());
    for (const strategy of BATCH_STRATEGIES) expect(typeof CONTROLLER_FACTORIES[strategy]).toBe('function');
  });
});

describe('modelForRow', () => {
  it.each([
    ['resnet_mb{max_batch}', 8, 'resnet_mb8'],
    ['{max_batch}_model', 0, '0_model'],
    ['m{max_batch}_v{max_batch}', 64, 'm64_v64'],
  ])('%s at %i -> %s', (template, maxBatch, expected) => {
    expect(modelForRow(template, maxBatch)).toBe(expected);
  });
});
