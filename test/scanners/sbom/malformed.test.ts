import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractorFor } from '../../../src/scanners/sbom/extractors/index.ts';
import { InputError } from '../../../src/util/errors.ts';

function failure(file: string, text: string): InputError {
  const extractor = extractorFor(file);
  assert.ok(extractor, `an extractor for ${file}`);
  try {
    extractor.extract(text, file, {});
  } catch (error) {
    assert.ok(error instanceof InputError, `InputError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${file} was accepted`);
}

// [file, text, expected code, expected line]
const CASES: [string, string, string, number][] = [
  ['package-lock.json', '{\n  "lockfileVersion": 3,\n  "packages": {,\n}', 'JSON_SYNTAX', 3],
  [
    'package-lock.json',
    '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": 7\n  }\n}',
    'LOCKFILE_FORMAT',
    4,
  ],
  ['package-lock.json', '{\n  "name": "x",\n  "lockfileVersion": 9\n}', 'LOCKFILE_FORMAT', 3],
  ['npm-shrinkwrap.json', '[1, 2]', 'LOCKFILE_FORMAT', 1],
  ['yarn.lock', '# yarn lockfile v1\n\na@^1:\n  version "1.0.0"\n   dependencies:\n', 'LOCKFILE_FORMAT', 5],
  ['yarn.lock', '# yarn lockfile v1\n\na@^1\n  version "1.0.0"\n', 'LOCKFILE_FORMAT', 3],
  ['yarn.lock', '# yarn lockfile v1\n\na@^1:\n  resolved "x"\n', 'LOCKFILE_FORMAT', 3],
  ['yarn.lock', '__metadata:\n  version: 8\n\n"a@npm:1":\n  version: 1\n version: 2\n', 'YAML_SYNTAX', 6],
  [
    'pnpm-lock.yaml',
    "lockfileVersion: '9.0'\n\npackages:\n  a@1.0.0:\n    resolution: {integrity: x}}\n",
    'YAML_SYNTAX',
    5,
  ],
  ['pnpm-lock.yaml', "lockfileVersion: '7.0'\n", 'LOCKFILE_FORMAT', 1],
  [
    'pnpm-lock.yaml',
    "lockfileVersion: '6.0'\n\npackages:\n\n  /nonsense:\n    resolution: {integrity: x}\n",
    'LOCKFILE_FORMAT',
    5,
  ],
  [
    'bun.lock',
    '{\n  "lockfileVersion": 1,\n  "packages": {\n    "a" ["a@1.0.0", "", {}, "sha512-x"],\n  }\n}',
    'JSON_SYNTAX',
    4,
  ],
  [
    'bun.lock',
    '{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": {"b": 1},\n  }\n}',
    'LOCKFILE_FORMAT',
    4,
  ],
  ['poetry.lock', '[[package]]\nname = "a"\nversion = \n', 'TOML_SYNTAX', 3],
  [
    'poetry.lock',
    '[[package]]\nname = "a"\nversion = "1.0"\n\n[[package]]\nname = "b"\n',
    'LOCKFILE_FORMAT',
    5,
  ],
  ['uv.lock', 'version = 1\n\n[[package]]\nversion = "1.0"\n', 'LOCKFILE_FORMAT', 3],
  ['pdm.lock', '[[package]]\nname = "a"\nversion = "1"\ndependencies = "x"\n', 'LOCKFILE_FORMAT', 1],
  ['Pipfile.lock', '{\n  "default": {\n    "a": "==1.0"\n  }\n}', 'LOCKFILE_FORMAT', 3],
  ['Cargo.lock', 'version = 3\n\n[[package]]\nname = "a"\nsource = "registry+x"\n', 'LOCKFILE_FORMAT', 3],
  ['go.mod', 'module x\n\nrequire (\n\tgithub.com/a/b v1.0.0\n', 'LOCKFILE_FORMAT', 5],
  ['go.mod', 'module x\n\nrequire github.com/a/b\n', 'LOCKFILE_FORMAT', 3],
  ['go.mod', 'module x\n\nreplace github.com/a/b\n', 'LOCKFILE_FORMAT', 3],
  ['Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack\n', 'LOCKFILE_FORMAT', 4],
  ['composer.lock', '{\n  "packages": [\n    {\n      "name": "a/b"\n    }\n  ]\n}', 'LOCKFILE_FORMAT', 4],
  ['gradle.lockfile', '# header\ncom.example:lib=compileClasspath\n', 'LOCKFILE_FORMAT', 2],
  [
    'pom.xml',
    '<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n',
    'XML_SYNTAX',
    4,
  ],
  ['pom.xml', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<project/>\n', 'XML_SYNTAX', 2],
  ['pom.xml', '<project>\n  <version>&bogus;</version>\n</project>\n', 'XML_SYNTAX', 2],
  ['pom.xml', '<settings>\n</settings>\n', 'LOCKFILE_FORMAT', 1],
  [
    'packages.lock.json',
    '{\n  "version": 1,\n  "dependencies": {\n    "net8.0": {\n      "A": { "type": "Direct" }\n    }\n  }\n}',
    'LOCKFILE_FORMAT',
    5,
  ],
];

for (const [file, text, code, line] of CASES) {
  test(`malformed ${file} (${code} at line ${line}) is a typed error naming file and line`, () => {
    const error = failure(file, text);
    assert.equal(error.code, code, error.message);
    assert.equal(error.file, file);
    assert.equal(error.line, line, error.message);
  });
}

test('YAML alias bombs are refused, not expanded', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const text = `lockfileVersion: '9.0'\n${levels.join('\n')}\n`;
  const error = failure('pnpm-lock.yaml', text);
  assert.equal(error.code, 'YAML_SYNTAX');
});

test('requirements.txt never fails: everything it cannot pin is skipped', () => {
  const extraction = extractorFor('requirements.txt')!.extract(
    '??? ===\n[x]\n@@ \\\n  more\n',
    'requirements.txt',
  );
  assert.deepEqual(extraction.components, []);
  assert.equal(extraction.skipped.length, 3);
});
