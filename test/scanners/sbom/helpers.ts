import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractorFor } from '../../../src/scanners/sbom/extractors/index.ts';
import type { ExtractContext, Extraction } from '../../../src/scanners/sbom/index.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Sibling access inside one fixture folder, as the walker provides it. */
export function fixtureContext(dir: string): ExtractContext {
  const base = join(FIXTURES, dir);
  return {
    readSibling: (path) =>
      existsSync(join(base, path)) ? readFileSync(join(base, path), 'utf8') : undefined,
    listFolders: (path) =>
      existsSync(join(base, path))
        ? readdirSync(join(base, path))
            .filter((name) => statSync(join(base, path, name)).isDirectory())
            .sort()
        : [],
  };
}

export function fixtureText(dir: string, file: string): string {
  return readFileSync(join(FIXTURES, dir, file), 'utf8');
}

export function extractFixture(dir: string, file: string): Extraction {
  const extractor = extractorFor(file);
  if (!extractor) throw new Error(`no extractor for ${file}`);
  return extractor.extract(fixtureText(dir, file), file, fixtureContext(dir));
}

/** `name@version scope direct|transitive`, sorted: the shape the expectations are written in. */
export function summary(extraction: Extraction): string[] {
  return extraction.components
    .map((c) => `${c.name}@${c.version} ${c.scope} ${c.direct ? 'direct' : 'transitive'}`)
    .sort();
}
