import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { EXTRACTORS, extractorFor } from '../../../src/scanners/sbom/extractors/index.ts';
import { GatechainError } from '../../../src/util/errors.ts';
import { fixtureContext, fixtureText } from './helpers.ts';

/** One valid fixture per extractor, to mutate. */
const SEEDS: Record<string, [string, string]> = {
  'npm-package-lock': ['npm-v3', 'package-lock.json'],
  'yarn-lock': ['yarn-berry', 'yarn.lock'],
  'pnpm-lock': ['pnpm-v9', 'pnpm-lock.yaml'],
  'bun-lock': ['bun', 'bun.lock'],
  'requirements-txt': ['requirements', 'requirements.txt'],
  'poetry-lock': ['poetry', 'poetry.lock'],
  'pipfile-lock': ['pipfile', 'Pipfile.lock'],
  'uv-lock': ['uv', 'uv.lock'],
  'pdm-lock': ['pdm', 'pdm.lock'],
  'go-mod': ['go-mod', 'go.mod'],
  'cargo-lock': ['cargo', 'Cargo.lock'],
  'gemfile-lock': ['gemfile', 'Gemfile.lock'],
  'composer-lock': ['composer', 'composer.lock'],
  'gradle-lockfile': ['gradle', 'gradle.lockfile'],
  'pom-xml': ['pom', 'pom.xml'],
  'nuget-packages-lock': ['nuget', 'packages.lock.json'],
};

const KEYS = [
  'lockfileVersion',
  'packages',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'importers',
  'snapshots',
  'workspaces',
  'default',
  'develop',
  'package',
  'packages-dev',
  'require',
  'version',
  'name',
  'resolved',
  'type',
  '__metadata',
  '',
  'node_modules/a',
  'a@1.0.0',
  '/a/1.0.0',
  '/a@1.0.0',
  'net8.0',
];

/** Only GatechainError may escape an extractor, whatever the input. */
function onlyTypedErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof GatechainError)) {
      assert.fail(`non-typed error: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}

const RUNS = 150;

for (const extractor of EXTRACTORS) {
  const seed = SEEDS[extractor.name];
  test(`${extractor.name}: arbitrary text and bytes give only typed errors`, () => {
    assert.ok(seed, `a seed fixture for ${extractor.name}`);
    const [dir, file] = seed;
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.uint8Array({ maxLength: 400 })),
        (input) => {
          const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
          onlyTypedErrors(() => extractor.extract(text, file, fixtureContext(dir)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${extractor.name}: mutated fixtures give results or typed errors`, () => {
    const [dir, file] = seed!;
    const original = fixtureText(dir, file);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat({ max: original.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 12 })),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (edits) => {
          let text = original;
          for (const [at, remove, insert] of edits)
            text = text.slice(0, at) + insert + text.slice(at + remove);
          onlyTypedErrors(() => {
            const result = extractor.extract(text, file, fixtureContext(dir));
            for (const component of result.components) assert.equal(typeof component.purl, 'string');
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${extractor.name}: well-formed documents of the wrong shape give only typed errors`, () => {
    const [dir, file] = seed!;
    const shaped = fc.dictionary(fc.constantFrom(...KEYS), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    const structured = fc.oneof(
      shaped,
      fc.record({
        lockfileVersion: fc.constantFrom(1, 2, 3, '5.4', '6.0', '9.0'),
        packages: shaped,
        importers: shaped,
      }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(structured, fc.boolean(), (value, asYaml) => {
        const text = asYaml ? toYaml(value) : JSON.stringify(value);
        onlyTypedErrors(() => extractor.extract(text ?? '', file, fixtureContext(dir)));
      }),
      { numRuns: RUNS },
    );
  });
}

test('extractorFor matches lockfile names only', () => {
  assert.equal(extractorFor('a/b/package-lock.json')?.name, 'npm-package-lock');
  assert.equal(extractorFor('requirements/dev-requirements.txt')?.name, 'requirements-txt');
  assert.equal(extractorFor('gradle/dependency-locks/compileClasspath.lockfile')?.name, 'gradle-lockfile');
  assert.equal(extractorFor('package.json'), undefined);
  assert.equal(extractorFor('README.txt'), undefined);
});
