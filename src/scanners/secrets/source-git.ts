import { spawn } from 'node:child_process';
import { InputError } from '../../util/errors.ts';
import type { Fragment } from './types.ts';

/** A header line gatechain asks `git log` to print before each commit's patch. */
const COMMIT_MARK = 0x1e;
const FIELD_SEP = '\x1f';
/** Added lines of one file in one commit are flushed early past this size. */
const MAX_FRAGMENT_BYTES = 5 * 1024 * 1024;
/** Longest patch line kept whole; longer ones are split (a secret across the cut can be missed). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface GitStats {
  commits: number;
  bytes: number;
  files: number;
}

interface CommitInfo {
  commit: string;
  author: string;
  email: string;
  date: string;
  message: string;
}

/** Undoes git's C-style quoting of unusual paths ("a/\303\251.txt"). */
export function unquoteGitPath(raw: string): string {
  if (!raw.startsWith('"') || !raw.endsWith('"') || raw.length < 2) return raw;
  const body = raw.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = body.slice(i + 1, i + 4);
      bytes.push(Number.parseInt(octal, 8) & 0xff);
      i += octal.length;
      continue;
    }
    const simple: Record<string, number> = {
      n: 10,
      t: 9,
      r: 13,
      '"': 34,
      '\\': 92,
      a: 7,
      b: 8,
      f: 12,
      v: 11,
    };
    bytes.push(simple[next] ?? next.charCodeAt(0));
    i++;
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Streaming parser of `git log -p -U0` / `git diff -U0` output: collects the added lines of
 * each file in each commit into a fragment, with the new-file line number of every line.
 * Only bytes are sliced; nothing is decoded except headers.
 */
export class PatchParser {
  private rest: Buffer = Buffer.alloc(0);
  private info: CommitInfo | undefined;
  private path: string | undefined;
  private nextLine = 0;
  // Added lines accumulate in one growable buffer reused for every fragment (no per-line objects).
  private data: Buffer = Buffer.allocUnsafe(64 * 1024);
  private size = 0;
  private lineMap: number[] = [];
  private readonly emit: (fragment: Fragment) => void;
  readonly stats: GitStats = { commits: 0, bytes: 0, files: 0 };

  /** `emit` receives a fragment whose bytes are only valid during the call (the buffer is reused). */
  constructor(emit: (fragment: Fragment) => void) {
    this.emit = emit;
  }

  push(chunk: Buffer): void {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      this.line(data, start, end);
      start = end + 1;
    }
    this.rest = Buffer.from(data.subarray(start));
    // A line without an end (a huge minified blob) is cut so memory stays bounded.
    if (this.rest.length > MAX_LINE_BYTES) {
      this.line(this.rest, 0, this.rest.length);
      this.rest = Buffer.alloc(0);
    }
  }

  end(): void {
    if (this.rest.length > 0) this.line(this.rest, 0, this.rest.length);
    this.rest = Buffer.alloc(0);
    this.flush();
  }

  private append(source: Buffer, start: number, end: number): void {
    const needed = this.size + (end - start) + 1;
    if (needed > this.data.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.data.length * 2));
      this.data.copy(grown, 0, 0, this.size);
      this.data = grown;
    }
    if (this.lineMap.length > 0) this.data[this.size++] = 10;
    this.size += source.copy(this.data, this.size, start, end);
  }

  private line(buffer: Buffer, start: number, end: number): void {
    const first = buffer[start];
    if (first === 0x2b /* + */) {
      if (
        buffer[start + 1] === 0x2b &&
        buffer[start + 2] === 0x2b &&
        buffer[start + 3] === 0x20 &&
        this.nextLine === 0
      ) {
        this.flush();
        // git appends a tab after names that contain a space.
        const target = buffer
          .toString('utf8', start + 4, end)
          .replace(/\r$/, '')
          .replace(/\t$/, '');
        this.path = target === '/dev/null' ? undefined : unquoteGitPath(target).replace(/^b\//, '');
        return;
      }
      if (this.path === undefined) return;
      this.append(buffer, start + 1, end);
      this.lineMap.push(this.nextLine++);
      if (this.size > MAX_FRAGMENT_BYTES) this.flush();
      return;
    }
    if (first === 0x40 /* @ */ && buffer[start + 1] === 0x40) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(
        buffer.toString('latin1', start, Math.min(end, start + 64)),
      );
      this.nextLine = header?.[1] ? Number(header[1]) : 1;
      return;
    }
    if (
      first === 0x64 /* d */ &&
      buffer.toString('latin1', start, Math.min(end, start + 11)) === 'diff --git '
    ) {
      this.flush();
      this.path = undefined;
      this.nextLine = 0;
      return;
    }
    if (first === COMMIT_MARK) {
      this.flush();
      const [commit = '', author = '', email = '', date = '', message = ''] = buffer
        .toString('utf8', start + 1, end)
        .split(FIELD_SEP);
      this.info = { commit, author, email, date, message };
      this.path = undefined;
      this.nextLine = 0;
      this.stats.commits++;
    }
  }

  private flush(): void {
    if (this.path !== undefined && this.lineMap.length > 0) {
      const fragment: Fragment = {
        path: this.path,
        data: this.data.subarray(0, this.size),
        lineMap: this.lineMap,
      };
      if (this.info) {
        fragment.commit = this.info.commit;
        fragment.author = this.info.author;
        fragment.email = this.info.email;
        fragment.date = this.info.date;
        fragment.message = this.info.message;
      }
      this.stats.files++;
      this.stats.bytes += this.size;
      this.emit(fragment);
    }
    this.size = 0;
    this.lineMap = [];
  }
}

export type GitMode = 'git' | 'staged';

/** A revision range for history mode (`main..feature`, `abc123^!`): never an option. */
export function validateRange(range: string): string {
  if (!/^[A-Za-z0-9_./~^@{}:!-]{1,256}$/.test(range) || range.startsWith('-')) {
    throw new InputError('SECRETS_RANGE_INVALID', `"${range}" is not a git revision range`);
  }
  return range;
}

export function gitArguments(mode: GitMode, range?: string): string[] {
  const common = ['-c', 'core.quotePath=false', '--no-pager'];
  if (mode === 'staged') {
    return [
      ...common,
      'diff',
      '--cached',
      '-U0',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--diff-filter=tuxdb',
    ];
  }
  return [
    ...common,
    'log',
    '-p',
    '-U0',
    '--full-history',
    ...(range === undefined ? ['--all'] : []),
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--diff-filter=tuxdb',
    `--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s`,
    // The range last, then `--`, so it can never be read as an option or a path.
    ...(range === undefined ? [] : [validateRange(range), '--']),
  ];
}

/**
 * Runs git in `root` and feeds its patch stream to `onFragment` (which may be slow: the stream is
 * paused while it runs, so memory stays bounded). Rejects with a typed error when git fails.
 */
export async function streamGitFragments(
  root: string,
  mode: GitMode,
  onFragment: (fragment: Fragment) => void,
  range?: string,
): Promise<GitStats> {
  const child = spawn('git', gitArguments(mode, range), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const parser = new PatchParser(onFragment);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (error) => reject(error));
    child.on('close', (code) => resolve(code ?? 1));
  });
  try {
    for await (const chunk of child.stdout) parser.push(chunk as Buffer);
    parser.end();
    const code = await exited;
    if (code !== 0) {
      throw new InputError(
        'SECRETS_GIT_FAILED',
        `git ${mode === 'staged' ? 'diff --cached' : 'log'} failed in ${root}: ${stderr.trim().split('\n')[0] ?? ''}`,
        { file: root },
      );
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    child.kill();
    throw new InputError('SECRETS_GIT_FAILED', `cannot run git in ${root}: ${(error as Error).message}`, {
      file: root,
    });
  }
  return parser.stats;
}
