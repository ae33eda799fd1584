/** Every batch strategy's controller factory (docs/architecture.md#pure-cores-and-io-edges: a forgotten strategy is a compile error). */
import type { BatchStrategy } from '../config/config.js';
import { createCommandController } from './command-controller.js';
import { createFixedController } from './fixed-controller.js';
import type { ControllerFactory } from './model-controller.js';
import { createModelsController } from './models-controller.js';
import { createReloadController } from './reload-controller.js';

export const CONTROLLER_FACTORIES: Readonly<Record<BatchStrategy, ControllerFactory>> = {
  reload: createReloadController,
  models: createModelsController,
  command: createCommandController,
  fixed: createFixedController,
};
