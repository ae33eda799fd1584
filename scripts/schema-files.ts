/**
 * The published JSON Schema files (`schemas/`), rendered from the zod schemas that validate the
 * persisted formats (src/model/run-result-schema.ts, run-index-schema.ts), for users who read
 * the data branch or the `result-json` file with other tools. `npm run schemas` writes them; a
 * unit test fails when the committed files are not what these schemas render.
 */
import { z } from 'zod';
import { runIndexSchema } from '../src/model/run-index-schema.js';
import { runResultSchema } from '../src/model/run-result-schema.js';

interface SchemaFile {
  readonly path: string;
  readonly title: string;
  readonly description: string;
  readonly schema: z.ZodType;
}

const FILES: readonly SchemaFile[] = [
  {
    path: 'schemas/run-result.schema.json',
    title: 'triton-throughput-gate RunResult',
    description:
      'One matrix run (benchmarks/<key>/runs/*.json on the data branch, the result-json output). Only the stable ' +
      'core is listed; other fields may be present. See docs/baseline-store.md.',
    schema: runResultSchema,
  },
  {
    path: 'schemas/run-index.schema.json',
    title: 'triton-throughput-gate run index',
    description: 'The per-key index benchmarks/<key>/index.json on the data branch. See docs/baseline-store.md.',
    schema: runIndexSchema,
  },
];

/** Every schema file's path and text (2-space JSON, final newline). */
export function renderSchemaFiles(): readonly { readonly path: string; readonly text: string }[] {
  return FILES.map((file) => {
    // `input`: what a file may contain (fields with defaults may be absent).
    const json = z.toJSONSchema(file.schema, { io: 'input' });
    const { $schema, ...rest } = json;
    const text = JSON.stringify({ $schema, title: file.title, description: file.description, ...rest }, null, 2);
    return { path: file.path, text: `${text}\n` };
  });
}
