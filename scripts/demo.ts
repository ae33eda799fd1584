/**
 * `npm run demo`: starts the real CPU Triton of scripts/triton/ on free 127.0.0.1 ports, runs
 * the default matrix (max_batch 8,16,32,64 × users 1-10) against demo_onnx through the CLI,
 * prints the tables and stops the server. Extra flags are passed to `run`
 * (e.g. `npm run demo -- --trials 5 --out demo.json`).
 */
import { main } from '../src/cli/cli-main.js';
import { ensureTritonInstalled, startTriton } from './triton/triton-server.js';

/** Demo defaults, chosen to finish in a few minutes on 2 cores; flags given by the user win. */
const DEMO_DEFAULTS: Readonly<Record<string, string>> = {
  '--model': 'demo_onnx',
  '--trials': '3',
  '--max-cv': '15%',
};

function withDefaults(args: readonly string[], serverUrl: string): string[] {
  const out = ['run', '--server-url', serverUrl];
  for (const [flag, value] of Object.entries(DEMO_DEFAULTS)) {
    if (!args.includes(flag)) out.push(flag, value);
  }
  return [...out, ...args];
}

async function demo(): Promise<number> {
  const userArgs = process.argv.slice(2);
  await ensureTritonInstalled();
  process.stderr.write('demo: starting a local CPU Triton (demo_onnx, identity) on 127.0.0.1 ...\n');
  const triton = await startTriton({ host: '127.0.0.1', grpcPort: 0, httpPort: 0, metricsPort: 0 });
  try {
    process.stderr.write(
      `demo: Triton ${triton.version} ready on ${triton.grpcUrl} in ${(triton.startMs / 1000).toFixed(1)} s\n` +
        `demo: default matrix (max_batch 8,16,32,64 × users 1-10, 480 requests per trial) with ${
          userArgs.includes('--trials') ? 'your trial count' : '3 trials per cell instead of 5'
        } so it finishes in a few minutes on 2 cores; CPU numbers, not a GPU's.\n`,
    );
    return await main(withDefaults(userArgs, triton.grpcUrl));
  } finally {
    await triton.stop();
  }
}

process.exitCode = await demo();
