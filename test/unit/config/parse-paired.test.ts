import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse-config.js';

describe('paired inputs', () => {
  it('baseline-model pairs the run on the head server', () => {
    const config = parseConfig({ model: 'resnet', 'baseline-model': 'resnet_base', 'server-url': '10.0.0.1:9001' });
    expect(config.paired.base?.model).toBe('resnet_base');
    expect(config.paired.base?.server.address).toBe('10.0.0.1:9001');
  });

  it('baseline-server-url alone serves the head model name on the second server', () => {
    const config = parseConfig({ model: 'resnet', 'baseline-server-url': 'grpcs://old:8001', 'max-rounds': '9' });
    expect(config.paired).toMatchObject({ minRounds: 5, maxRounds: 9 });
    expect(config.paired.base?.model).toBe('resnet');
    expect(config.paired.base?.server).toMatchObject({ address: 'old:8001', isTls: true });
  });

  it('refuses the models strategy in paired mode', () => {
    expect(() => parseConfig({
      model: 'resnet', 'baseline-model': 'b', 'batch-strategy': 'models', 'model-template': 'r{max_batch}',
    })).toThrow(/input 'batch-strategy': got 'models', expected reload, command or fixed in paired mode/);
  });
});
