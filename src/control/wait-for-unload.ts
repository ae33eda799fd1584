/**
 * Unload is asynchronous in Triton ("does not wait for the requested model to be fully
 * unloaded"), so before loading the next row we poll the repository index until the model is
 * no longer READY/UNLOADING: the next row then starts from a clean model (fresh statistics,
 * memory freed) instead of Triton's background swap of two copies.
 */
import type { TritonClient } from '../triton/triton-client.js';

/** Unloads `model` and waits (bounded) until the index no longer shows it loaded. */
export async function unloadAndWait(
  client: TritonClient,
  model: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  await client.repositoryModelUnload(model, { signal });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const entry = (await client.repositoryIndex(false, { signal })).find((m) => m.name === model);
    if (entry === undefined || (entry.state !== 'READY' && entry.state !== 'UNLOADING')) return;
    if (Date.now() >= deadline)
      throw new Error(`model '${model}' still ${entry.state} ${Math.round(timeoutMs / 1000)} s after unload`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
