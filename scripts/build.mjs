// Builds the two committed bundles with @vercel/ncc: dist/index.js (the Action, what GitHub
// runs) and dist/cli/index.js (the CLI bin). Deterministic (no timestamps, no source maps),
// so CI can check that `npm run build` leaves dist/ unchanged.
import ncc from '@vercel/ncc';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const entries = [
  { input: 'src/main.ts', outDir: 'dist' },
  { input: 'src/cli.ts', outDir: 'dist/cli' },
];

await rm('dist', { recursive: true, force: true });
for (const { input, outDir } of entries) {
  const { code, assets } = await ncc(join(process.cwd(), input), {
    minify: false,
    sourceMap: false,
    quiet: true,
    target: 'es2022',
    transpileOnly: true,
    license: 'licenses.txt',
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    const path = join(outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, asset.source);
  }
}
