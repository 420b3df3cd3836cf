import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXTRACTORS, extractorFor } from '../../../src/scanners/sbom/extractors/index.ts';
import { extractFixture, fixtureText, summary } from './helpers.ts';

// The npm, yarn, pnpm and bun fixtures were produced here by the package managers themselves
// (npm 11 with --lockfile-version 1/2/3 and `npm shrinkwrap`, yarn 1.22, yarn 4.18, pnpm 7, 8
// and 12, bun 1.4) from one workspace project: root deps debug + @sindresorhus/is, dev dep is-odd
// (which needs is-number@^6), optional dep is-number@7, and workspace packages/util needing
// kleur and ms@2.1.3 while debug needs ms@2.1.2. So every one must give the same answer.
const WORKSPACE_PROJECT = [
  '@sindresorhus/is@4.6.0 production direct',
  'debug@4.3.4 production direct',
  'is-number@6.0.0 development transitive',
  'is-number@7.0.0 optional direct',
  'is-odd@3.0.1 development direct',
  'kleur@4.1.5 production direct',
  'ms@2.1.2 production transitive',
  'ms@2.1.3 production direct',
];

const EXPECTED: Record<string, string[]> = {
  'npm-v1/package-lock.json': WORKSPACE_PROJECT,
  'npm-v2/package-lock.json': WORKSPACE_PROJECT,
  'npm-v3/package-lock.json': WORKSPACE_PROJECT,
  'npm-shrinkwrap/npm-shrinkwrap.json': WORKSPACE_PROJECT,
  'yarn-v1/yarn.lock': WORKSPACE_PROJECT,
  'yarn-berry/yarn.lock': WORKSPACE_PROJECT,
  'pnpm-v5/pnpm-lock.yaml': WORKSPACE_PROJECT,
  'pnpm-v6/pnpm-lock.yaml': WORKSPACE_PROJECT,
  'pnpm-v9/pnpm-lock.yaml': WORKSPACE_PROJECT,
  'bun/bun.lock': WORKSPACE_PROJECT,
  'pnpm-v5.3/pnpm-lock.yaml': [
    '@types/prop-types@15.7.5 development transitive',
    '@types/react@17.0.2 development direct',
    'csstype@3.1.2 development transitive',
    'js-tokens@4.0.0 production transitive',
    'loose-envify@1.4.0 production transitive',
    'object-assign@4.1.1 production transitive',
    'react-dom@17.0.2 production direct',
    'react@17.0.2 production transitive',
    'scheduler@0.20.2 production transitive',
  ],
  'requirements/requirements.txt': [
    'Django@4.2.7 production direct',
    'requests@2.31.0 production direct',
    'typing_extensions@4.9.0 production direct',
    'zope.interface@6.1 production direct',
  ],
  'requirements/requirements-dev.txt': [
    'coverage@7.3.2 development direct',
    'pytest@7.4.3 development direct',
  ],
  'poetry/poetry.lock': [
    'PyYAML@6.0.1 optional direct',
    'certifi@2023.11.17 production transitive',
    'charset-normalizer@3.3.2 production transitive',
    'idna@3.6 production transitive',
    'iniconfig@2.0.0 development transitive',
    'pytest@7.4.3 development direct',
    'requests@2.31.0 production direct',
  ],
  'poetry-v1/poetry.lock': [
    'click@8.1.7 production direct',
    'colorama@0.4.6 production transitive',
    'mypy-extensions@1.0.0 development direct',
  ],
  'pipfile/Pipfile.lock': [
    'black@23.11.0 development direct',
    'blinker@1.7.0 production transitive',
    'click@8.1.7 development transitive',
    'flask@3.0.0 production direct',
    'werkzeug@3.0.1 production transitive',
  ],
  'uv/uv.lock': [
    'anyio@4.2.0 production direct',
    'idna@3.6 production transitive',
    'ruff@0.1.9 development direct',
    'sniffio@1.3.0 production transitive',
    'uvloop@0.19.0 optional direct',
  ],
  'pdm/pdm.lock': [
    'markdown-it-py@3.0.0 production transitive',
    'mdurl@0.1.2 production transitive',
    'mkdocs@1.5.3 optional direct',
    'pygments@2.17.2 production transitive',
    'pytest@7.4.3 development direct',
    'rich@13.7.0 production direct',
  ],
  'go-mod/go.mod': [
    'github.com/google/uuid@1.5.0 production direct',
    'github.com/gorilla/mux@1.8.1 production direct',
    'github.com/new/lib@1.2.0 production transitive',
    'golang.org/x/net@0.19.0 production transitive',
    'gopkg.in/yaml.v3@3.0.1 production direct',
    'stdlib@1.21.5 production transitive',
  ],
  'cargo/Cargo.lock': [
    'cfg-if@1.0.0 production direct',
    'itoa@0.4.8 production direct',
    'itoa@1.0.11 production direct',
    'serde_git@0.9.0 production transitive',
  ],
  'gemfile/Gemfile.lock': [
    'actionpack@7.1.2 production direct',
    'gitgem@0.2.0 production direct',
    'nokogiri@1.15.5 production direct',
    'racc@1.7.3 production transitive',
    'rack-test@2.1.0 production transitive',
    'rack@3.0.8 production transitive',
    'rspec@3.12.0 production direct',
  ],
  'composer/composer.lock': [
    'monolog/monolog@3.5.0 production direct',
    'phpunit/php-timer@6.0.0 development direct',
    'psr/log@3.0.0 production transitive',
  ],
  'gradle/gradle.lockfile': [
    'com.google.guava:failureaccess@1.0.1 production transitive',
    'com.google.guava:guava@32.1.3-jre production transitive',
    'junit:junit@4.13.2 development transitive',
    'org.hamcrest:hamcrest-core@1.3 development transitive',
    'org.slf4j:slf4j-api@2.0.9 production transitive',
  ],
  'pom/pom.xml': [
    'com.fasterxml.jackson.core:jackson-databind@2.16.0 production direct',
    'com.google.code.findbugs:jsr305@3.0.2 optional direct',
    'org.apache.commons:commons-lang3@3.14.0 production direct',
    'org.example:fixture-core@3.1.0 production direct',
    'org.junit.jupiter:junit-jupiter@5.10.1 development direct',
    'org.slf4j:slf4j-api@2.0.9 production direct',
  ],
  'nuget/packages.lock.json': [
    'Newtonsoft.Json@13.0.3 production direct',
    'Serilog.Sinks.Console@5.0.1 production direct',
    'Serilog@3.1.1 production transitive',
    'System.Text.Json@8.0.0 production transitive',
  ],
};

function split(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

for (const [key, expected] of Object.entries(EXPECTED)) {
  test(`${key}: exact component list`, () => {
    const [dir, file] = split(key);
    assert.deepEqual(summary(extractFixture(dir, file)), [...expected].sort());
  });
}

test('every registered format has a fixture with an expected list', () => {
  const covered = new Set(Object.keys(EXPECTED).map((key) => extractorFor(split(key)[1])?.name));
  assert.deepEqual(
    EXTRACTORS.map((e) => e.name).filter((name) => !covered.has(name)),
    [],
  );
});

test('npm-family lockfiles record the same dependency edges and workspace roots', () => {
  for (const key of Object.keys(EXPECTED).filter((k) => EXPECTED[k] === WORKSPACE_PROJECT)) {
    const [dir, file] = split(key);
    const extraction = extractFixture(dir, file);
    const byName = new Map(extraction.components.map((c) => [`${c.name}@${c.version}`, c]));
    assert.deepEqual(byName.get('debug@4.3.4')?.dependsOn, ['pkg:npm/ms@2.1.2'], key);
    assert.deepEqual(byName.get('is-odd@3.0.1')?.dependsOn, ['pkg:npm/is-number@6.0.0'], key);
    const roots = new Map(extraction.roots.map((r) => [r.name, r.dependsOn]));
    assert.deepEqual(roots.get('@fixture/util'), ['pkg:npm/kleur@4.1.5', 'pkg:npm/ms@2.1.3'], key);
    assert.deepEqual(
      roots.get('fixture-app'),
      [
        'pkg:npm/%40sindresorhus/is@4.6.0',
        'pkg:npm/debug@4.3.4',
        'pkg:npm/is-number@7.0.0',
        'pkg:npm/is-odd@3.0.1',
      ],
      key,
    );
  }
});

test('edges in the other ecosystems', () => {
  const edges = (key: string, name: string) => {
    const [dir, file] = split(key);
    return extractFixture(dir, file).components.find((c) => `${c.name}@${c.version}` === name)?.dependsOn;
  };
  assert.deepEqual(edges('pnpm-v5.3/pnpm-lock.yaml', 'react-dom@17.0.2'), [
    'pkg:npm/loose-envify@1.4.0',
    'pkg:npm/object-assign@4.1.1',
    'pkg:npm/react@17.0.2',
    'pkg:npm/scheduler@0.20.2',
  ]);
  assert.deepEqual(edges('poetry/poetry.lock', 'requests@2.31.0'), [
    'pkg:pypi/certifi@2023.11.17',
    'pkg:pypi/charset-normalizer@3.3.2',
    'pkg:pypi/idna@3.6',
  ]);
  assert.deepEqual(edges('uv/uv.lock', 'anyio@4.2.0'), ['pkg:pypi/idna@3.6', 'pkg:pypi/sniffio@1.3.0']);
  assert.deepEqual(edges('pdm/pdm.lock', 'rich@13.7.0'), [
    'pkg:pypi/markdown-it-py@3.0.0',
    'pkg:pypi/pygments@2.17.2',
  ]);
  assert.deepEqual(edges('gemfile/Gemfile.lock', 'actionpack@7.1.2'), [
    'pkg:gem/rack-test@2.1.0',
    'pkg:gem/rack@3.0.8',
  ]);
  assert.deepEqual(edges('gemfile/Gemfile.lock', 'nokogiri@1.15.5'), ['pkg:gem/racc@1.7.3']);
  assert.deepEqual(edges('composer/composer.lock', 'monolog/monolog@3.5.0'), ['pkg:composer/psr/log@3.0.0']);
  assert.deepEqual(edges('nuget/packages.lock.json', 'Serilog.Sinks.Console@5.0.1'), [
    'pkg:nuget/Serilog@3.1.1',
  ]);
  const cargo = extractFixture('cargo', 'Cargo.lock');
  assert.deepEqual(
    cargo.roots.map((r) => [r.name, r.dependsOn]),
    [
      ['fixture-cli', ['pkg:cargo/itoa@1.0.11']],
      ['fixture-core', ['pkg:cargo/cfg-if@1.0.0', 'pkg:cargo/itoa@0.4.8']],
    ],
  );
});

test('purls use each ecosystem type and normalisation', () => {
  const purls = (dir: string, file: string) => extractFixture(dir, file).components.map((c) => c.purl);
  assert.ok(purls('requirements', 'requirements.txt').includes('pkg:pypi/zope-interface@6.1'));
  assert.ok(purls('requirements', 'requirements.txt').includes('pkg:pypi/typing-extensions@4.9.0'));
  assert.ok(purls('poetry', 'poetry.lock').includes('pkg:pypi/pyyaml@6.0.1'));
  assert.ok(purls('go-mod', 'go.mod').includes('pkg:golang/github.com/gorilla/mux@v1.8.1'));
  assert.ok(purls('go-mod', 'go.mod').includes('pkg:golang/stdlib@v1.21.5'));
  assert.ok(purls('cargo', 'Cargo.lock').includes('pkg:cargo/itoa@0.4.8'));
  assert.ok(purls('gemfile', 'Gemfile.lock').includes('pkg:gem/nokogiri@1.15.5?platform=x86_64-linux'));
  assert.ok(purls('composer', 'composer.lock').includes('pkg:composer/monolog/monolog@3.5.0'));
  assert.ok(purls('pom', 'pom.xml').includes('pkg:maven/org.slf4j/slf4j-api@2.0.9'));
  assert.ok(purls('gradle', 'gradle.lockfile').includes('pkg:maven/com.google.guava/guava@32.1.3-jre'));
  assert.ok(purls('nuget', 'packages.lock.json').includes('pkg:nuget/Newtonsoft.Json@13.0.3'));
  assert.ok(purls('npm-v3', 'package-lock.json').includes('pkg:npm/%40sindresorhus/is@4.6.0'));
  const ecosystems = new Set(
    Object.keys(EXPECTED).flatMap((key) => extractFixture(...split(key)).components.map((c) => c.ecosystem)),
  );
  assert.deepEqual([...ecosystems].sort(), [
    'Go',
    'Maven',
    'NuGet',
    'Packagist',
    'PyPI',
    'RubyGems',
    'crates.io',
    'npm',
  ]);
});

test('licenses and integrity hashes are kept where the file has them', () => {
  const v3 = extractFixture('npm-v3', 'package-lock.json').components.find((c) => c.name === 'debug')!;
  assert.equal(v3.license, 'MIT');
  assert.equal(v3.integrity?.algorithm, 'sha512');
  // sha512-PRWFHu... in the lockfile, decoded to hex (checked with Python base64).
  assert.equal(
    v3.integrity?.value,
    '3d15851ee494dde0ed4093ef9cd63b25c91eb758f4b793ae3ac1733cfcec7a40f9d9997ca947c520f122b305ea22f1d61951ce817fbb1bfbc234d85e870c5f91',
  );
  const cargo = extractFixture('cargo', 'Cargo.lock').components.find((c) => c.version === '1.0.11')!;
  assert.deepEqual(cargo.integrity, {
    algorithm: 'sha256',
    value: '49f1f14873335454500d59611f1cf4a4b0f786f9ac11f4312a78e4cf2566695b',
  });
  const composer = extractFixture('composer', 'composer.lock').components;
  assert.equal(composer.find((c) => c.name === 'phpunit/php-timer')?.license, 'BSD-3-Clause');
  assert.equal(composer.find((c) => c.name === 'psr/log')?.integrity?.algorithm, 'sha1');
  assert.equal(composer.find((c) => c.name === 'monolog/monolog')?.integrity, undefined);
  const poetry = extractFixture('poetry', 'poetry.lock').components.find((c) => c.name === 'certifi')!;
  assert.equal(poetry.integrity?.value, '9b469f3a900bf28dc19b8cfbf8019bf47f7fdd1a65a1d4ffb98fc14166beb4d1');
  const nuget = extractFixture('nuget', 'packages.lock.json').components.find((c) => c.name === 'Serilog')!;
  assert.equal(nuget.integrity?.algorithm, 'sha512');
  const gem = extractFixture('gemfile', 'Gemfile.lock').components.find((c) => c.name === 'rack')!;
  assert.equal(gem.integrity?.value, 'b1a1f7b2d5c84e1a3ff5f4c3e1b9a7c5d3e1f9b7a5c3e1d9f7b5a3c1e9d7f5b3');
  const django = extractFixture('requirements', 'requirements.txt').components.find(
    (c) => c.name === 'Django',
  )!;
  assert.equal(django.integrity?.algorithm, 'sha256');
});

test('file locations point at the entry in the lockfile', () => {
  const cases: [string, string, string][] = [
    ['npm-v3/package-lock.json', 'debug', '"node_modules/debug": {'],
    ['npm-v1/package-lock.json', 'debug', '"debug": {'],
    ['yarn-v1/yarn.lock', 'debug', 'debug@4.3.4:'],
    ['yarn-berry/yarn.lock', 'debug', '"debug@npm:4.3.4":'],
    ['pnpm-v5/pnpm-lock.yaml', 'debug', '/debug/4.3.4:'],
    ['pnpm-v6/pnpm-lock.yaml', 'debug', '/debug@4.3.4:'],
    ['pnpm-v9/pnpm-lock.yaml', 'debug', 'debug@4.3.4:'],
    ['bun/bun.lock', 'debug', '"debug": ["debug@4.3.4"'],
    ['pipfile/Pipfile.lock', 'flask', '"flask": {'],
    ['go-mod/go.mod', 'github.com/gorilla/mux', 'github.com/gorilla/mux v1.8.1'],
    ['gemfile/Gemfile.lock', 'nokogiri', 'nokogiri (1.15.5-x86_64-linux)'],
    ['composer/composer.lock', 'monolog/monolog', '"name": "monolog/monolog"'],
    ['gradle/gradle.lockfile', 'junit:junit', 'junit:junit:4.13.2='],
    ['nuget/packages.lock.json', 'Serilog.Sinks.Console', '"Serilog.Sinks.Console": {'],
    ['requirements/requirements.txt', 'Django', 'Django==4.2.7'],
  ];
  for (const [key, name, text] of cases) {
    const [dir, file] = split(key);
    const component = extractFixture(dir, file).components.find((c) => c.name === name);
    assert.ok(component?.location.line, `${key} ${name} has a line`);
    const line = fixtureText(dir, file).split('\n')[component.location.line - 1];
    assert.ok(line?.includes(text), `${key}:${component.location.line} is ${JSON.stringify(line)}`);
    assert.equal(component.location.file, file);
  }
  // TOML array tables and pom dependencies point at their header / element.
  for (const [dir, file, name, text] of [
    ['cargo', 'Cargo.lock', 'cfg-if', '[[package]]'],
    ['poetry', 'poetry.lock', 'requests', '[[package]]'],
    ['pom', 'pom.xml', 'org.slf4j:slf4j-api', '<dependency>'],
  ] as const) {
    const component = extractFixture(dir, file).components.find((c) => c.name === name)!;
    const lines = fixtureText(dir, file).split('\n');
    assert.equal(lines[component.location.line! - 1]?.trim(), text);
    assert.ok(
      lines
        .slice(component.location.line!, component.location.line! + 4)
        .join('\n')
        .includes(name.split(':').pop()!),
    );
  }
});

test('what cannot be pinned is reported as skipped, with file and line', () => {
  const skipped = (dir: string, file: string) =>
    extractFixture(dir, file).skipped.map((s) => `${s.name}:${s.location.line}`);
  assert.deepEqual(skipped('requirements', 'requirements.txt'), [
    'flask:9',
    'numpy:10',
    '-e ./libs/internal:11',
    '-r base.txt:12',
    'git+https://github.com/example/thing.git#egg=thing:13',
  ]);
  assert.deepEqual(skipped('pom', 'pom.xml'), ['io.netty:netty-handler:63', 'org.yaml:snakeyaml:67']);
  assert.deepEqual(skipped('go-mod', 'go.mod'), ['github.com/example/local:10']);
  assert.deepEqual(skipped('pipfile', 'Pipfile.lock'), ['internal-tool:39']);
});

test('the pom ignores plugin dependencies and resolves nested properties', () => {
  const names = extractFixture('pom', 'pom.xml').components.map((c) => c.name);
  assert.ok(!names.includes('org.ignored:plugin-dep'));
  const root = extractFixture('pom', 'pom.xml').roots[0]!;
  assert.equal(root.name, 'org.example:fixture-app');
  assert.equal(root.version, '3.1.0');
});

test('npm aliases are reported under the real package name', () => {
  const yarnV1 = [
    '# yarn lockfile v1',
    '',
    '"string-width-cjs@npm:string-width@^4.2.0":',
    '  version "4.2.3"',
    '',
    '"@swc/legacy-helpers@npm:@swc/helpers@~0.4.14":',
    '  version "0.4.14"',
    '',
  ].join('\n');
  const extraction = extractorFor('yarn.lock')!.extract(yarnV1, 'yarn.lock');
  assert.deepEqual(
    extraction.components.map((c) => c.purl),
    ['pkg:npm/%40swc/helpers@0.4.14', 'pkg:npm/string-width@4.2.3'],
  );
  const bun = extractorFor('bun.lock')!.extract(
    '{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"sw": "npm:string-width@4"}}}, "packages": {"sw": ["string-width@4.2.3", "", {}, ""]}}',
    'bun.lock',
  );
  assert.deepEqual(
    bun.components.map((c) => `${c.purl} ${c.direct}`),
    ['pkg:npm/string-width@4.2.3 true'],
  );
});

test('bun resolves nested packages under scoped parents without mistaking the scope for a parent', () => {
  const text = JSON.stringify({
    lockfileVersion: 1,
    workspaces: { '': { name: 'x', dependencies: { '@npmcli/run-script': '7' } } },
    packages: {
      '@npmcli/run-script': ['@npmcli/run-script@7.0.4', '', { dependencies: { 'node-gyp': '^10' } }, ''],
      '@npmcli/node-gyp': ['@npmcli/node-gyp@3.0.0', '', {}, ''],
      'node-gyp': ['node-gyp@10.3.1', '', {}, ''],
    },
  });
  const extraction = extractorFor('bun.lock')!.extract(text, 'bun.lock');
  const runScript = extraction.components.find((c) => c.name === '@npmcli/run-script')!;
  assert.deepEqual(runScript.dependsOn, ['pkg:npm/node-gyp@10.3.1']);
  assert.equal(extraction.components.find((c) => c.name === 'node-gyp')?.scope, 'production');
});

test('optional peers are edges but do not pull their target into production', () => {
  const bunLock = (optionalPeers: string[]) =>
    JSON.stringify({
      lockfileVersion: 1,
      workspaces: { '': { name: 'x', dependencies: { a: '1' }, devDependencies: { b: '1' } } },
      packages: {
        a: ['a@1.0.0', '', { peerDependencies: { b: '*' }, optionalPeers }, ''],
        b: ['b@1.0.0', '', {}, ''],
      },
    });
  const withOptional = extractorFor('bun.lock')!.extract(bunLock(['b']), 'bun.lock').components;
  assert.deepEqual(withOptional.find((c) => c.name === 'a')?.dependsOn, ['pkg:npm/b@1.0.0']);
  assert.equal(withOptional.find((c) => c.name === 'b')?.scope, 'development');
  // A required peer of a production package is production.
  const required = extractorFor('bun.lock')!.extract(bunLock([]), 'bun.lock').components;
  assert.equal(required.find((c) => c.name === 'b')?.scope, 'production');
});

test('pnpm aliases, links and peer suffixes resolve to the installed package', () => {
  const v9 = [
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    '',
    '  .:',
    '    dependencies:',
    '      sw:',
    '        specifier: npm:string-width@^4',
    '        version: string-width@4.2.3',
    '      local:',
    '        specifier: link:../local',
    '        version: link:../local',
    '      react-dom:',
    '        specifier: 18.2.0',
    '        version: 18.2.0(react@18.2.0)',
    '',
    'packages:',
    '',
    '  string-width@4.2.3:',
    '    resolution: {integrity: sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==}',
    '',
    '  react-dom@18.2.0:',
    '    resolution: {integrity: sha512-6IMTriUmvsjHUjNtEDudZfuDQUoWXVxKHhlEGSk81n4YFS+r/Kl99wXiwlVXtPBtJenozv2P+hxDsw9eA7Xo6g==}',
    '    peerDependencies:',
    '      react: ^18.2.0',
    '',
    '  react@18.2.0:',
    '    resolution: {integrity: sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ==}',
    '',
    'snapshots:',
    '',
    '  string-width@4.2.3: {}',
    '',
    '  react-dom@18.2.0(react@18.2.0):',
    '    dependencies:',
    '      react: 18.2.0',
    '',
    '  react@18.2.0: {}',
    '',
  ].join('\n');
  const extraction = extractorFor('pnpm-lock.yaml')!.extract(v9, 'pnpm-lock.yaml');
  assert.deepEqual(summary(extraction), [
    'react-dom@18.2.0 production direct',
    'react@18.2.0 production transitive',
    'string-width@4.2.3 production direct',
  ]);
  const reactDom = extraction.components.find((c) => c.name === 'react-dom')!;
  assert.deepEqual(reactDom.dependsOn, ['pkg:npm/react@18.2.0']);
  assert.equal(reactDom.location.line, 22);
});

test('npm lockfile v1 aliases carry the real name in their version', () => {
  const lock = {
    name: 'x',
    lockfileVersion: 1,
    dependencies: {
      'string-width-cjs': { version: 'npm:string-width@4.2.3', dev: true },
      '@swc/legacy-helpers': { version: 'npm:@swc/helpers@0.4.14' },
    },
  };
  const extraction = extractorFor('package-lock.json')!.extract(
    JSON.stringify(lock, null, 2),
    'package-lock.json',
  );
  assert.deepEqual(summary(extraction), [
    '@swc/helpers@0.4.14 production direct',
    'string-width@4.2.3 development direct',
  ]);
});

test('a Maven version range is skipped, not reported as a version', () => {
  const pom = [
    '<project>',
    '  <groupId>g</groupId><artifactId>a</artifactId><version>1</version>',
    '  <dependencies>',
    '    <dependency><groupId>x</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version></dependency>',
    '    <dependency><groupId>x</groupId><artifactId>pinned</artifactId><version>1.5</version></dependency>',
    '  </dependencies>',
    '</project>',
  ].join('\n');
  const extraction = extractorFor('pom.xml')!.extract(pom, 'pom.xml');
  assert.deepEqual(summary(extraction), ['x:pinned@1.5 production direct']);
  assert.deepEqual(
    extraction.skipped.map((s) => [s.name, s.location.line]),
    [['x:ranged', 4]],
  );
});

test('the lazy format table matches the extractor table row for row', async () => {
  const { FORMATS } = await import('../../../src/scanners/sbom/index.ts');
  assert.deepEqual(
    FORMATS.map((f) => f.name),
    EXTRACTORS.map((e) => e.name),
  );
  for (const [index, format] of FORMATS.entries()) {
    const loaded = await format.load();
    assert.equal(loaded, EXTRACTORS[index]);
    assert.equal(format.matches, loaded.matches);
  }
});
