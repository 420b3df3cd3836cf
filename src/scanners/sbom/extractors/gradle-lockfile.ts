import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import type { DraftPackage, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

/** Configurations that only build or run tests. */
const TEST_CONFIGURATION = /^test|Test[A-Z]|^test$/;

/**
 * gradle.lockfile: `group:artifact:version=configuration,...` per line. The lockfile has no
 * edges and does not say which dependencies were declared, so none is marked direct; a
 * dependency locked only in test configurations is development scope.
 */
export const gradleLockfileExtractor: Extractor = {
  name: 'gradle-lockfile',
  ecosystem: 'Maven',
  matches: MATCHERS['gradle-lockfile'],
  extract(text, file) {
    checkSize(text, file);
    const drafts: DraftPackage[] = [];
    const rows = text.split('\n');
    for (let i = 0; i < rows.length; i++) {
      const line = i + 1;
      const row = rows[i]!.trim();
      if (row === '' || row.startsWith('#') || row.startsWith('empty=')) continue;
      const [coordinates = '', configurations = ''] = row.split('=');
      const parts = coordinates.split(':');
      if (parts.length !== 3 || parts.some((p) => p === '')) {
        throw formatError(
          file,
          `expected group:artifact:version=configurations, got ${JSON.stringify(row.slice(0, 80))}`,
          line,
        );
      }
      const [group, artifact, version] = parts as [string, string, string];
      const configs = configurations.split(',').filter(Boolean);
      const testOnly = configs.length > 0 && configs.every((c) => TEST_CONFIGURATION.test(c));
      drafts.push({
        id: coordinates,
        name: `${group}:${artifact}`,
        version,
        line,
        dependsOn: [],
        scope: testOnly ? 'development' : 'production',
        direct: false,
      });
    }
    return finalize({ packages: drafts, roots: [] }, 'Maven', file);
  },
};
