import { basename } from './paths.ts';

/**
 * Which paths each format reads (relative, `/`-separated). Kept apart from the extractors so that
 * the tree walk can pick formats without loading their parsers.
 */
const exactly =
  (...names: string[]) =>
  (path: string): boolean =>
    names.includes(basename(path));

export const MATCHERS = {
  'npm-package-lock': exactly('package-lock.json', 'npm-shrinkwrap.json'),
  'yarn-lock': exactly('yarn.lock'),
  'pnpm-lock': exactly('pnpm-lock.yaml'),
  'bun-lock': exactly('bun.lock'),
  'requirements-txt': (path: string) => {
    const name = basename(path);
    return name.endsWith('.txt') && /requirements/i.test(name);
  },
  'poetry-lock': exactly('poetry.lock'),
  'pipfile-lock': exactly('Pipfile.lock'),
  'uv-lock': exactly('uv.lock'),
  'pdm-lock': exactly('pdm.lock'),
  'go-mod': exactly('go.mod'),
  'cargo-lock': exactly('Cargo.lock'),
  'gemfile-lock': exactly('Gemfile.lock', 'gems.locked'),
  'composer-lock': exactly('composer.lock'),
  'gradle-lockfile': (path: string) => {
    const name = basename(path);
    return (
      name === 'gradle.lockfile' ||
      name === 'buildscript-gradle.lockfile' ||
      (path.includes('dependency-locks/') && name.endsWith('.lockfile'))
    );
  },
  'pom-xml': exactly('pom.xml'),
  'nuget-packages-lock': exactly('packages.lock.json'),
} as const;

export type FormatName = keyof typeof MATCHERS;
