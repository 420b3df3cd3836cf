import type { Extractor } from '../types.ts';
import { type FormatName, MATCHERS } from './matchers.ts';

/** A format the walk can recognise by path, whose extractor loads only when a file needs it. */
export interface Format {
  name: FormatName;
  matches(path: string): boolean;
  load(): Promise<Extractor>;
}

const format = (name: FormatName, load: () => Promise<Extractor>): Format => ({
  name,
  matches: MATCHERS[name],
  load,
});

/** The lazy twin of EXTRACTORS, same rows and order: a scan pays only for the parsers it uses. */
export const FORMATS: readonly Format[] = [
  format('npm-package-lock', async () => (await import('./npm-lock.ts')).npmLockExtractor),
  format('yarn-lock', async () => (await import('./yarn-lock.ts')).yarnLockExtractor),
  format('pnpm-lock', async () => (await import('./pnpm-lock.ts')).pnpmLockExtractor),
  format('bun-lock', async () => (await import('./bun-lock.ts')).bunLockExtractor),
  format('requirements-txt', async () => (await import('./requirements-txt.ts')).requirementsTxtExtractor),
  format('poetry-lock', async () => (await import('./poetry-lock.ts')).poetryLockExtractor),
  format('pipfile-lock', async () => (await import('./pipfile-lock.ts')).pipfileLockExtractor),
  format('uv-lock', async () => (await import('./uv-lock.ts')).uvLockExtractor),
  format('pdm-lock', async () => (await import('./pdm-lock.ts')).pdmLockExtractor),
  format('go-mod', async () => (await import('./go-mod.ts')).goModExtractor),
  format('cargo-lock', async () => (await import('./cargo-lock.ts')).cargoLockExtractor),
  format('gemfile-lock', async () => (await import('./gemfile-lock.ts')).gemfileLockExtractor),
  format('composer-lock', async () => (await import('./composer-lock.ts')).composerLockExtractor),
  format('gradle-lockfile', async () => (await import('./gradle-lockfile.ts')).gradleLockfileExtractor),
  format('pom-xml', async () => (await import('./pom-xml.ts')).pomXmlExtractor),
  format('nuget-packages-lock', async () => (await import('./nuget-lock.ts')).nugetLockExtractor),
];

export function formatFor(path: string): Format | undefined {
  return FORMATS.find((candidate) => candidate.matches(path));
}
