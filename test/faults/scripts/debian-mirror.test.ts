/**
 * scripts/triton/debian-mirror.sh picks the Debian mirror from the machine's apt configuration
 * (what setup-perf-analyzer.sh downloads trixie's runtime from). The fake here is an apt
 * configuration of our own, handed to the real apt-get through APT_CONFIG: one-line and deb822
 * sources, a disabled source, non-Debian sources and the override.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/triton/debian-mirror.sh');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An apt configuration whose only sources are `list` (one-line) and `parts` (file name -> text). */
function aptConfig(list: string, parts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ttg-apt-'));
  dirs.push(dir);
  for (const sub of ['parts', 'state/lists/partial', 'cache']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'sources.list'), list);
  for (const [name, text] of Object.entries(parts)) writeFileSync(join(dir, 'parts', name), text);
  const conf = join(dir, 'apt.conf');
  writeFileSync(
    conf,
    [
      `Dir::Etc::sourcelist "${dir}/sources.list";`,
      `Dir::Etc::sourceparts "${dir}/parts";`,
      `Dir::State "${dir}/state";`,
      `Dir::Cache "${dir}/cache";`,
      '',
    ].join('\n'),
  );
  return conf;
}

async function mirror(conf: string, override?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', APT_CONFIG: conf };
  if (override !== undefined) env['TRITON_DEBIAN_MIRROR'] = override;
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [SCRIPT], { env });
    return { code: 0, stdout: stdout.trim(), stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr };
  }
}

const NODE_SOURCE = 'Types: deb\nURIs: http://other.example/node\nSuites: nodistro\nComponents: main\n';

describe('debian-mirror.sh', () => {
  it('reads a deb822 .sources file, skipping security, updates and non-Debian suites', async () => {
    const conf = aptConfig('', {
      'a-node.sources': NODE_SOURCE,
      'b-security.sources':
        'Types: deb\nURIs: http://security.example/debian-security\nSuites: trixie-security\nComponents: main\n',
      'debian.sources':
        'Types: deb\nURIs: http://mirror.example/debian\nSuites: trixie-updates trixie\nComponents: contrib main\n',
    });
    expect(await mirror(conf)).toMatchObject({ code: 0, stdout: 'http://mirror.example/debian' });
  });

  it('reads the one-line sources.list and skips a deb822 source with Enabled: no', async () => {
    const conf = aptConfig(
      '# comment\ndeb-src http://src.example/debian bookworm main\ndeb http://list.example/debian bookworm main\n',
      {
        'off.sources': 'Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\nComponents: main\n',
      },
    );
    expect(await mirror(conf)).toMatchObject({ code: 0, stdout: 'http://list.example/debian' });
  });

  it('fails with the variable to set when no Debian source exists', async () => {
    const result = await mirror(aptConfig('', { 'node.sources': NODE_SOURCE }));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('TRITON_DEBIAN_MIRROR');
  });

  it('TRITON_DEBIAN_MIRROR wins over the apt configuration', async () => {
    const conf = aptConfig('deb http://list.example/debian bookworm main\n', {});
    expect(await mirror(conf, 'http://override.example/debian/')).toMatchObject({
      code: 0,
      stdout: 'http://override.example/debian',
    });
  });
});
