/**
 * An in-memory git object database for the fake GitHub server: blobs, trees, commits and refs,
 * content-addressed with git's real SHA-1 object ids, so shas behave as on GitHub (same
 * content, same sha; a rewritten file, a new sha).
 */
import { createHash } from 'node:crypto';

/** Modes GitHub's create-tree accepts. */
export type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000';

/** One entry of a tree object. */
export interface TreeEntry {
  readonly name: string;
  readonly mode: TreeMode;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
}

/** Author or committer of a commit. */
export interface Signature {
  readonly name: string;
  readonly email: string;
  /** ISO 8601 time. */
  readonly date: string;
}

/** A commit object. */
export interface CommitObject {
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: Signature;
  readonly committer: Signature;
}

/** A change for {@link GitObjects.applyToTree}: `sha: null` deletes the path. */
export interface TreeChange {
  readonly path: string;
  readonly mode: TreeMode;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string | null;
}

/** Thrown for input GitHub would refuse with 422; the route turns it into that answer. */
export class GitValidationError extends Error {
  override readonly name = 'GitValidationError';
}

type GitObject =
  | { readonly type: 'blob'; readonly content: Buffer }
  | { readonly type: 'tree'; readonly entries: readonly TreeEntry[] }
  | ({ readonly type: 'commit' } & CommitObject);

/** The objects and refs of one repository. */
export class GitObjects {
  private readonly objects = new Map<string, GitObject>();
  /** `refs/heads/main` → commit sha. */
  readonly refs = new Map<string, string>();

  putBlob(content: Buffer | string): string {
    const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return this.put({ type: 'blob', content: buffer }, buffer);
  }

  putTree(entries: readonly TreeEntry[]): string {
    // git's order: by name, a tree compared as if its name ended with '/'.
    const key = (entry: TreeEntry): string => (entry.type === 'tree' ? `${entry.name}/` : entry.name);
    const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      sorted.map((entry) =>
        Buffer.concat([Buffer.from(`${entry.mode.replace(/^0/, '')} ${entry.name}\0`), Buffer.from(entry.sha, 'hex')]),
      ),
    );
    return this.put({ type: 'tree', entries: sorted }, body);
  }

  putCommit(commit: CommitObject): string {
    const line = (who: Signature): string =>
      `${who.name} <${who.email}> ${Math.floor(Date.parse(who.date) / 1000)} +0000`;
    const text = [
      `tree ${commit.tree}`,
      ...commit.parents.map((parent) => `parent ${parent}`),
      `author ${line(commit.author)}`,
      `committer ${line(commit.committer)}`,
      '',
      commit.message,
    ].join('\n');
    return this.put({ type: 'commit', ...commit }, Buffer.from(text, 'utf8'));
  }

  blob(sha: string): Buffer | undefined {
    const object = this.objects.get(sha);
    return object?.type === 'blob' ? object.content : undefined;
  }

  tree(sha: string): readonly TreeEntry[] | undefined {
    const object = this.objects.get(sha);
    return object?.type === 'tree' ? object.entries : undefined;
  }

  commit(sha: string): CommitObject | undefined {
    const object = this.objects.get(sha);
    return object?.type === 'commit' ? object : undefined;
  }

  /** A new tree: `base` (or nothing) with `changes` applied; paths may be nested (`a/b/c`). */
  applyToTree(base: string | undefined, changes: readonly TreeChange[]): string {
    const entries = new Map((base === undefined ? [] : (this.tree(base) ?? [])).map((entry) => [entry.name, entry]));
    const nested = new Map<string, TreeChange[]>();
    for (const change of changes) {
      const [head = '', ...rest] = change.path.split('/');
      if (head === '' || head === '.' || head === '..' || head.toLowerCase() === '.git') {
        throw new GitValidationError(`tree.path ${JSON.stringify(change.path)} contains a malformed path component`);
      }
      if (rest.length > 0) {
        nested.set(head, [...(nested.get(head) ?? []), { ...change, path: rest.join('/') }]);
      } else if (change.sha === null) {
        entries.delete(head);
      } else {
        if (change.type === 'blob' && this.blob(change.sha) === undefined) {
          throw new GitValidationError(`tree.sha ${change.sha} is not a valid blob`);
        }
        entries.set(head, { name: head, mode: change.mode, type: change.type, sha: change.sha });
      }
    }
    for (const [name, inner] of nested) {
      const existing = entries.get(name);
      const sha = this.applyToTree(existing?.type === 'tree' ? existing.sha : undefined, inner);
      if ((this.tree(sha) ?? []).length === 0) entries.delete(name);
      else entries.set(name, { name, mode: '040000', type: 'tree', sha });
    }
    return this.putTree([...entries.values()]);
  }

  /** Every blob under a tree, by full path. */
  filesOf(treeSha: string, prefix = ''): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of this.tree(treeSha) ?? []) {
      const path = `${prefix}${entry.name}`;
      if (entry.type === 'tree') for (const [inner, sha] of this.filesOf(entry.sha, `${path}/`)) files.set(inner, sha);
      else if (entry.type === 'blob') files.set(path, entry.sha);
    }
    return files;
  }

  /** Commits `files` (path → text) on top of `branch` (created as an orphan if absent). */
  commitFiles(branch: string, files: Readonly<Record<string, string>>, date: string, message = 'seed'): string {
    const ref = `refs/heads/${branch}`;
    const parent = this.refs.get(ref);
    const base = parent === undefined ? undefined : this.commit(parent)?.tree;
    const tree = this.applyToTree(
      base,
      Object.entries(files).map(([path, text]) => ({ path, mode: '100644', type: 'blob', sha: this.putBlob(text) })),
    );
    const who = { name: 'Seeder', email: 'seeder@example.com', date };
    const sha = this.putCommit({
      tree,
      parents: parent === undefined ? [] : [parent],
      message,
      author: who,
      committer: who,
    });
    this.refs.set(ref, sha);
    return sha;
  }

  /** True when `ancestor` is `descendant` or reachable from it through parents. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const stack = [descendant];
    for (let sha = stack.pop(); sha !== undefined; sha = stack.pop()) {
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commit(sha)?.parents ?? []));
    }
    return false;
  }

  private put(object: GitObject, body: Buffer): string {
    const header = Buffer.from(`${object.type} ${body.length}\0`);
    const sha = createHash('sha1')
      .update(Buffer.concat([header, body]))
      .digest('hex');
    this.objects.set(sha, object);
    return sha;
  }
}
