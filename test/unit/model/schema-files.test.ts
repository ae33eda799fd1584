import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderSchemaFiles } from '../../../scripts/schema-files.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('schemas/', () => {
  it.each(renderSchemaFiles().map((file) => [file.path, file.text] as const))(
    '%s is what the zod schema renders (npm run schemas)',
    async (path, text) => {
      expect(await readFile(join(ROOT, path), 'utf8')).toBe(text);
    },
  );
});

describe('schemas/run-result.schema.json', () => {
  const validatorOf = async (path: string) => {
    const schema = JSON.parse(await readFile(join(ROOT, path), 'utf8')) as object;
    return new Ajv2020({ strict: false }).compile(schema);
  };

  it('accepts the runs of the report fixtures, as another tool reading the data branch would', async () => {
    const validate = await validatorOf('schemas/run-result.schema.json');
    for (const name of ['typical', 'failed-row', 'no-baseline']) {
      const fixture = JSON.parse(await readFile(join(ROOT, 'test', 'fixtures', `${name}.json`), 'utf8')) as {
        run: unknown;
      };
      expect(validate(fixture.run), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('rejects a run whose cell has 0 users', async () => {
    const validate = await validatorOf('schemas/run-result.schema.json');
    const fixture = JSON.parse(await readFile(join(ROOT, 'test', 'fixtures', 'typical.json'), 'utf8')) as {
      run: { cells: { users: number }[] };
    };
    const [first] = fixture.run.cells;
    if (first === undefined) throw new Error('the fixture has no cells');
    first.users = 0;
    expect(validate(fixture.run)).toBe(false);
  });
});
