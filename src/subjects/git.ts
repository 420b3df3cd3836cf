import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import type { ResourceDescriptor } from '../model/statement.ts';
import { InputError } from '../util/errors.ts';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 30_000, maxBuffer: 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    const notFound = (error as { code?: string }).code === 'ENOENT';
    throw new InputError(
      notFound ? 'GIT_UNAVAILABLE' : 'SUBJECT_NOT_FOUND',
      notFound ? 'the git command is not installed' : `git ${args.join(' ')} failed in ${cwd}: ${detail}`,
      {},
      { cause: error },
    );
  }
}

/** The commit a revision names (default HEAD) and its tree, from the git CLI in cwd. */
export async function gitSubject(cwd: string, revision: string): Promise<ResourceDescriptor> {
  // `--end-of-options` keeps a revision from ever being read as an option.
  const commit = await git(cwd, ['rev-parse', '--verify', '--end-of-options', `${revision}^{commit}`]);
  const tree = await git(cwd, ['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`]);
  const top = await git(cwd, ['rev-parse', '--show-toplevel']);
  for (const hex of [commit, tree]) {
    if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(hex)) {
      throw new InputError(
        'SUBJECT_NOT_FOUND',
        `git returned an unexpected object id ${JSON.stringify(hex)}`,
      );
    }
  }
  return { name: basename(top), digest: { gitCommit: commit, gitTree: tree } };
}
