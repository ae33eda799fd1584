// Builds the two committed bundles with @vercel/ncc: dist/index.js (the Action, what GitHub
// runs) and dist/cli/index.js (the CLI bin). Deterministic (no timestamps, no source maps),
// so CI can check that `npm run build` leaves dist/ unchanged.
import ncc from '@vercel/ncc';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const entries = [
  { input: 'src/main.ts', outDir: 'dist' },
  { input: 'src/cli.ts', outDir: 'dist/cli' },
];

// ncc compiles TypeScript with transpileModule, which emits CommonJS for `module: NodeNext`
// (it cannot see package.json's "type"): then top-level await and ESM-only packages such as
// @actions/core 3 fail to bundle. ncc reads the tsconfig.json nearest to the entry, so each
// entry is built through a one-line stub in a scratch directory whose tsconfig extends ours
// with ES module output; the bundle is ESM (package.json "type": "module").
const SCRATCH = join(process.cwd(), '.build');
const SCRATCH_TSCONFIG = {
  extends: '../tsconfig.json',
  compilerOptions: { module: 'ES2022', moduleResolution: 'Bundler' },
};

async function bundle(input) {
  const stub = join(SCRATCH, 'entry.ts');
  await mkdir(SCRATCH, { recursive: true });
  await writeFile(join(SCRATCH, 'tsconfig.json'), JSON.stringify(SCRATCH_TSCONFIG));
  // The entry's shebang (the CLI bin's `#!/usr/bin/env node`) must head the bundle.
  const shebang = (await readFile(input, 'utf8')).match(/^#!.*\n/)?.[0] ?? '';
  await writeFile(stub, `${shebang}import '../${input.replace(/\.ts$/, '.js')}';\n`);
  try {
    return await ncc(stub, {
      minify: false,
      sourceMap: false,
      quiet: true,
      target: 'es2022',
      transpileOnly: true,
      license: 'licenses.txt',
    });
  } finally {
    await rm(SCRATCH, { recursive: true, force: true });
  }
}

await rm('dist', { recursive: true, force: true });
for (const { input, outDir } of entries) {
  const { code, assets } = await bundle(input);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets ?? {})) {
    const path = join(outDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, asset.source);
  }
}
// The CLI bundle is the package's bin: executable in the tree and in git (100755), so
// `./dist/cli/index.js` runs from a clone and `npx` has nothing to change.
await chmod('dist/cli/index.js', 0o755);
