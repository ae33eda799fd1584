/** `npm run schemas`: writes the published JSON Schema files (see schema-files.ts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSchemaFiles } from './schema-files.js';

const root = join(import.meta.dirname, '..');
for (const file of renderSchemaFiles()) {
  await writeFile(join(root, file.path), file.text);
  console.log(`wrote ${file.path}`);
}
