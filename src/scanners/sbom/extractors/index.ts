import type { Extractor } from '../types.ts';
import { bunLockExtractor } from './bun-lock.ts';
import { cargoLockExtractor } from './cargo-lock.ts';
import { composerLockExtractor } from './composer-lock.ts';
import { gemfileLockExtractor } from './gemfile-lock.ts';
import { goModExtractor } from './go-mod.ts';
import { gradleLockfileExtractor } from './gradle-lockfile.ts';
import { npmLockExtractor } from './npm-lock.ts';
import { nugetLockExtractor } from './nuget-lock.ts';
import { pdmLockExtractor } from './pdm-lock.ts';
import { pipfileLockExtractor } from './pipfile-lock.ts';
import { pnpmLockExtractor } from './pnpm-lock.ts';
import { poetryLockExtractor } from './poetry-lock.ts';
import { pomXmlExtractor } from './pom-xml.ts';
import { requirementsTxtExtractor } from './requirements-txt.ts';
import { uvLockExtractor } from './uv-lock.ts';
import { yarnLockExtractor } from './yarn-lock.ts';

/** Every supported format, one row each. Adding a format = one file in this folder + one row. */
export const EXTRACTORS: readonly Extractor[] = [
  npmLockExtractor,
  yarnLockExtractor,
  pnpmLockExtractor,
  bunLockExtractor,
  requirementsTxtExtractor,
  poetryLockExtractor,
  pipfileLockExtractor,
  uvLockExtractor,
  pdmLockExtractor,
  goModExtractor,
  cargoLockExtractor,
  gemfileLockExtractor,
  composerLockExtractor,
  gradleLockfileExtractor,
  pomXmlExtractor,
  nugetLockExtractor,
];

/** The extractor for a path (relative, `/`-separated), if any format matches it. */
export function extractorFor(path: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.matches(path));
}
