/**
 * Copies commits of a real git checkout into the fake GitHub's object database, so GitHub and the
 * runner's checkout know the same shas (as after a push): the action's merge-base from GitHub's
 * compare API then names a commit the checkout has. The fake hashes objects as git does; a sha
 * that comes out different (a signature line or time zone the fake cannot write) throws.
 */
import { execFileSync } from 'node:child_process';
import type { GitObjects, Signature, TreeEntry, TreeMode } from '../support/git-objects.js';

function git(cwd: string, args: readonly string[]): Buffer {
  return execFileSync('git', [...args], { cwd, maxBuffer: 64 * 1024 ** 2 });
}

/** Mirrors `sha` and its ancestors into `objects`; returns the sha the fake computed (equal to `sha`). */
export function mirrorCommit(cwd: string, objects: GitObjects, sha: string): string {
  if (objects.commit(sha) !== undefined) return sha;
  const text = git(cwd, ['cat-file', 'commit', sha]).toString('utf8');
  const [header, message] = splitOnce(text, '\n\n');
  const fields = header.split('\n').map((line) => splitOnce(line, ' '));
  const field = (name: string): string[] => fields.filter(([key]) => key === name).map(([, value]) => value);
  const parents = field('parent').map((parent) => mirrorCommit(cwd, objects, parent));
  const mirrored = objects.putCommit({
    tree: mirrorTree(cwd, objects, field('tree')[0] ?? ''),
    parents,
    message,
    author: signatureOf(field('author')[0] ?? ''),
    committer: signatureOf(field('committer')[0] ?? ''),
  });
  if (mirrored !== sha) throw new Error(`commit ${sha} mirrored as ${mirrored}: commit it with a +0000 date`);
  return mirrored;
}

function mirrorTree(cwd: string, objects: GitObjects, sha: string): string {
  const entries: TreeEntry[] = git(cwd, ['ls-tree', '-z', sha])
    .toString('utf8')
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const [meta, name] = splitOnce(record, '\t');
      const [mode = '', type = '', object = ''] = meta.split(' ');
      if (type === 'tree') return { name, mode: '040000', type, sha: mirrorTree(cwd, objects, object) };
      if (type !== 'blob') throw new Error(`cannot mirror a ${type} entry (${name})`);
      return { name, mode: mode as TreeMode, type, sha: objects.putBlob(git(cwd, ['cat-file', 'blob', object])) };
    });
  const mirrored = objects.putTree(entries);
  if (mirrored !== sha) throw new Error(`tree ${sha} mirrored as ${mirrored}`);
  return mirrored;
}

/** `Name <email> 1767225600 +0000` → the fake's signature. */
function signatureOf(line: string): Signature {
  const match = /^(.*) <(.*)> (\d+) \+0000$/.exec(line);
  if (match === null) throw new Error(`signature ${JSON.stringify(line)}: the fake writes +0000 dates only`);
  const [, name = '', email = '', seconds = '0'] = match;
  return { name, email, date: new Date(Number(seconds) * 1000).toISOString() };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}
