/**
 * SBOM generation, side by side in one run: gatechain against @cyclonedx/cdxgen and
 * @cyclonedx/cyclonedx-npm on the same npm lockfiles, including one with more than 2,000
 * packages. Wall time and peak RSS come from /usr/bin/time for every process alike (so Node
 * start-up is counted for all three); component counts are compared as name@version sets.
 *
 * Usage: node bench/sbom-peers.ts [--runs 3]
 * Peers go in bench/.work/sbom-peers (never in the project):
 *   cd bench/.work/sbom-peers && npm install @cyclonedx/cdxgen @cyclonedx/cyclonedx-npm
 * The big lockfile is produced once in bench/.work/sbom-big with
 *   npm install --package-lock-only --ignore-scripts --legacy-peer-deps
 * from the package.json this script writes there (popular frameworks and tooling). The same
 * project locked by pnpm, yarn (berry and classic) and bun is measured too when those lockfiles
 * exist in bench/.work/big-<pnpm|berry|yarn1|bun>/ (cdxgen only: cyclonedx-npm reads npm locks).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;

const here = import.meta.dirname;
const work = join(here, '.work');
const peers = join(work, 'sbom-peers', 'node_modules', '.bin');
const cdxgen = join(peers, 'cdxgen');
const cyclonedxNpm = join(peers, 'cyclonedx-npm');
const gatechain = join(here, '..', 'src', 'cli', 'main.ts');

const BIG_MANIFEST = {
  name: 'sbom-bench-big',
  version: '1.0.0',
  private: true,
  dependencies: {
    'react-scripts': '5.0.1',
    express: '4.19.2',
    '@nestjs/core': '10.3.0',
    '@nestjs/common': '10.3.0',
    rxjs: '7.8.1',
    'reflect-metadata': '0.2.1',
  },
  devDependencies: { gatsby: '5.13.3', '@angular/cli': '17.1.0', eslint: '8.56.0', typescript: '5.3.3' },
};

function ensureBigLockfile(): string {
  const dir = join(work, 'sbom-big');
  if (!existsSync(join(dir, 'package-lock.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(BIG_MANIFEST, null, 2)}\n`);
    const npm = spawnSync(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps'],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
    if (npm.status !== 0) throw new Error('npm could not produce the big lockfile');
  }
  return dir;
}

interface Measure {
  wallS: number;
  cpuS: number;
  rssMb: number;
  output: string;
}

/** Runs a command under /usr/bin/time; returns wall seconds, peak RSS and the SBOM file. */
function measure(command: string[], cwd: string, output: string): Measure {
  rmSync(output, { force: true });
  const timed = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', ...command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CDXGEN_TELEMETRY: 'false', FETCH_LICENSE: 'false', npm_config_audit: 'false' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const last = timed.stderr.trim().split('\n').pop() ?? '';
  const [wall, rss, user, system] = last.split(' ').map(Number);
  if (timed.status !== 0 || !existsSync(output)) {
    throw new Error(`${command.join(' ')} failed (${timed.status}):\n${timed.stderr.slice(-2000)}`);
  }
  return {
    wallS: wall ?? Number.NaN,
    cpuS: (user ?? Number.NaN) + (system ?? Number.NaN),
    rssMb: (rss ?? Number.NaN) / 1024,
    output,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface CdxComponent {
  name: string;
  group?: string;
  version?: string;
  type?: string;
  purl?: string;
  components?: CdxComponent[];
}

/** name@version of every package component (nested ones included), as a set. */
function componentSet(file: string): Set<string> {
  const bom = JSON.parse(readFileSync(file, 'utf8')) as { components?: CdxComponent[] };
  const out = new Set<string>();
  const visit = (list: CdxComponent[] | undefined) => {
    for (const c of list ?? []) {
      // Packages are the components with a purl (cdxgen types packages with a bin "application").
      if (c.purl) {
        const name = c.group ? `${c.group}/${c.name}` : c.name;
        out.add(`${name}@${c.version ?? ''}`);
      }
      visit(c.components);
    }
  };
  visit(bom.components);
  return out;
}

interface Tool {
  name: string;
  /** Lockfile names the tool reads; all when absent. */
  only?: string[];
  command(dir: string, output: string): string[];
}

const TOOLS: Tool[] = [
  {
    name: 'gatechain',
    command: (dir, output) => [process.execPath, gatechain, 'sbom', dir, '--include-dev', '--output', output],
  },
  {
    // Offline, lockfile only: no npm install, no babel usage analysis, no schema validation pass.
    name: 'cdxgen',
    command: (dir, output) => [
      process.execPath,
      cdxgen,
      '-t',
      'js',
      '--no-install-deps',
      '--no-babel',
      '--no-validate',
      '--spec-version',
      '1.6',
      '-o',
      output,
      dir,
    ],
  },
  {
    name: 'cyclonedx-npm',
    only: ['package-lock.json'],
    command: (dir, output) => [
      process.execPath,
      cyclonedxNpm,
      '--package-lock-only',
      // The big tree was locked with --legacy-peer-deps; npm ls then reports unmet peers.
      '--ignore-npm-errors',
      '--spec-version',
      '1.6',
      '--output-file',
      output,
      join(dir, 'package.json'),
    ],
  },
];

function prepareCase(name: string, from: string, lockfile: string): string {
  const dir = join(work, 'sbom-run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(from, 'package.json'), join(dir, 'package.json'));
  copyFileSync(join(from, lockfile), join(dir, lockfile));
  return dir;
}

if (!existsSync(cdxgen) || !existsSync(cyclonedxNpm)) {
  console.error(
    'peers missing: cd bench/.work/sbom-peers && npm install @cyclonedx/cdxgen @cyclonedx/cyclonedx-npm',
  );
  process.exit(2);
}
const big = ensureBigLockfile();
const bigEntries = Object.keys(
  (JSON.parse(readFileSync(join(big, 'package-lock.json'), 'utf8')) as { packages: object }).packages,
).length;
// A small lockfile: the extractor test project without its workspace (cyclonedx-npm needs the
// folders of workspaces to exist).
const smallSource = join(work, 'sbom-small');
mkdirSync(smallSource, { recursive: true });
const fixture = join(here, '..', 'test', 'scanners', 'sbom', 'fixtures', 'npm-v3');
const fixtureLock = JSON.parse(readFileSync(join(fixture, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, unknown>;
};
// kleur is only needed by the workspace package, so it goes too.
const workspaceOnly = ['node_modules/@fixture/util', 'node_modules/kleur'];
for (const key of Object.keys(fixtureLock.packages)) {
  if (key.startsWith('packages/') || workspaceOnly.includes(key)) delete fixtureLock.packages[key];
}
delete (fixtureLock.packages[''] as Record<string, unknown>)['workspaces'];
writeFileSync(join(smallSource, 'package-lock.json'), JSON.stringify(fixtureLock, null, 2));
const fixtureManifest = JSON.parse(readFileSync(join(fixture, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;
delete fixtureManifest['workspaces'];
writeFileSync(join(smallSource, 'package.json'), JSON.stringify(fixtureManifest, null, 2));

const cases = [
  {
    name: `npm big (${bigEntries} lockfile entries)`,
    lockfile: 'package-lock.json',
    dir: prepareCase('big', big, 'package-lock.json'),
  },
  {
    name: 'npm small (6 packages)',
    lockfile: 'package-lock.json',
    dir: prepareCase('small', smallSource, 'package-lock.json'),
  },
];
// The same big project locked by other package managers, when present (see the header):
// bench/.work/big-<manager>/<lockfile>, produced with pnpm 12 `install --lockfile-only`, yarn 4
// `install --mode=update-lockfile`, yarn 1 `install --ignore-scripts`, bun 1.4
// `install --lockfile-only` from bench/.work/sbom-big/package.json.
for (const [manager, lockfile] of [
  ['pnpm', 'pnpm-lock.yaml'],
  ['berry', 'yarn.lock'],
  ['yarn1', 'yarn.lock'],
  ['bun', 'bun.lock'],
] as const) {
  const from = join(work, `big-${manager}`);
  if (!existsSync(join(from, lockfile))) continue;
  cases.push({
    name: `${manager} big (same project)`,
    lockfile,
    dir: prepareCase(`big-${manager}`, from, lockfile),
  });
}

const versions = {
  node: process.version,
  cdxgen: spawnSync(process.execPath, [cdxgen, '--version'], { encoding: 'utf8' })
    .stdout.replace(/\u001b\[[0-9;]*m/g, '')
    .trim()
    .split('\n')[0],
  cyclonedxNpm: spawnSync(process.execPath, [cyclonedxNpm, '--version'], { encoding: 'utf8' }).stdout.trim(),
};

const lines: string[] = [];
const log = (line: string) => {
  console.log(line);
  lines.push(line);
};
log(`## SBOM generation vs cdxgen and cyclonedx-npm (${new Date().toISOString().slice(0, 10)})`);
log('');
log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${versions.node}. Command: \`node bench/sbom-peers.ts --runs ${RUNS}\`.`,
);
log(
  `Peers: ${versions.cdxgen} (\`-t js --no-install-deps --no-babel --no-validate --spec-version 1.6\`, offline), @cyclonedx/cyclonedx-npm ${versions.cyclonedxNpm} (\`--package-lock-only --ignore-npm-errors\`). gatechain: \`gatechain sbom <dir> --include-dev\` (CycloneDX 1.6).`,
);
log(
  `Each process measured by /usr/bin/time (wall, user+sys CPU, max RSS), median of ${RUNS} runs, start-up included for all. Load average at start: ${loadavg()
    .map((n) => n.toFixed(1))
    .join(', ')}.`,
);
log('');
log(
  '| lockfile | tool | wall (s) | CPU user+sys (s) | peak RSS (MB) | components | wall ÷ gatechain | CPU ÷ gatechain | RSS ÷ gatechain |',
);
log('|---|---|---|---|---|---|---|---|---|');
const notes: string[] = [];
const verdicts: string[] = [];
for (const c of cases) {
  const results = new Map<string, { wall: number; cpu: number; rss: number; set: Set<string> }>();
  for (const tool of TOOLS.filter((t) => !t.only || t.only.includes(c.lockfile))) {
    const walls: number[] = [];
    const rsses: number[] = [];
    const cpuTimes: number[] = [];
    let last: Measure | undefined;
    for (let run = 0; run < RUNS; run++) {
      last = measure(
        tool.command(c.dir, join(c.dir, `${tool.name}.cdx.json`)),
        c.dir,
        join(c.dir, `${tool.name}.cdx.json`),
      );
      walls.push(last.wallS);
      rsses.push(last.rssMb);
      cpuTimes.push(last.cpuS);
    }
    results.set(tool.name, {
      wall: median(walls),
      cpu: median(cpuTimes),
      rss: median(rsses),
      set: componentSet(last!.output),
    });
  }
  const ours = results.get('gatechain')!;
  const peer = results.get('cdxgen')!;
  const same = peer.set.size === ours.set.size && [...peer.set].every((x) => ours.set.has(x));
  verdicts.push(
    `- ${c.name}: gatechain is ${(peer.wall / ours.wall).toFixed(1)}× faster than cdxgen (wall; ${(peer.cpu / ours.cpu).toFixed(1)}× less CPU) with ${(peer.rss / ours.rss).toFixed(1)}× less peak memory; same component set: ${same ? 'yes' : 'no'}.`,
  );
  for (const [tool, r] of results) {
    log(
      `| ${c.name} | ${tool} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.set.size} | ${(r.wall / ours.wall).toFixed(1)}× | ${(r.cpu / ours.cpu).toFixed(1)}× | ${(r.rss / ours.rss).toFixed(1)}× |`,
    );
    if (tool !== 'gatechain') {
      const missing = [...r.set].filter((x) => !ours.set.has(x));
      const extra = [...ours.set].filter((x) => !r.set.has(x));
      notes.push(
        `- ${c.name}, ${tool}: ${r.set.size} components; in ${tool} but not gatechain: ${missing.length}${missing.length ? ` (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})` : ''}; in gatechain but not ${tool}: ${extra.length}${extra.length ? ` (${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''})` : ''}.`,
      );
    }
  }
}
log('');
for (const verdict of verdicts) log(verdict);
log('');
log('Component sets (name@version):');
log('');
for (const note of notes) log(note);

// Correctness cross-check on the other ecosystems: cdxgen (offline, no build tools) on the test
// fixtures, compared as purls without qualifiers. Not timed.
const CROSS_CHECK: [string, string][] = [
  ['poetry', 'python'],
  ['poetry-v1', 'python'],
  ['pipfile', 'python'],
  ['uv', 'python'],
  ['pdm', 'python'],
  ['requirements', 'python'],
  ['go-mod', 'go'],
  ['cargo', 'rust'],
  ['gemfile', 'ruby'],
  ['composer', 'php'],
  ['gradle', 'gradle'],
  ['nuget', 'dotnet'],
];
const normalise = (purl: string) => decodeURIComponent(purl.replace(/\?.*$/, '')).toLowerCase();
log('');
log('Cross-check on the other ecosystems (test fixtures; cdxgen `-t <type> --no-install-deps`, not timed):');
log('');
log('| fixture | gatechain | cdxgen | only in cdxgen | only in gatechain |');
log('|---|---|---|---|---|');
const { extractInventory } = await import('../src/scanners/sbom/index.ts');
for (const [fixtureDir, type] of CROSS_CHECK) {
  const dir = join(work, 'sbom-run', `x-${fixtureDir}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(here, '..', 'test', 'scanners', 'sbom', 'fixtures', fixtureDir), dir, { recursive: true });
  const output = join(dir, 'cdxgen.cdx.json');
  spawnSync(
    process.execPath,
    [
      cdxgen,
      '-t',
      type,
      '--no-install-deps',
      '--no-babel',
      '--no-validate',
      '--spec-version',
      '1.6',
      '-o',
      output,
      dir,
    ],
    {
      cwd: dir,
      env: { ...process.env, CDXGEN_TELEMETRY: 'false', FETCH_LICENSE: 'false' },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  const bom = existsSync(output)
    ? (JSON.parse(readFileSync(output, 'utf8')) as { components?: CdxComponent[] })
    : {};
  const theirs = new Set((bom.components ?? []).filter((c) => c.purl).map((c) => normalise(c.purl!)));
  rmSync(output, { force: true });
  const inventory = await extractInventory(dir, { includeDev: true });
  const ours = new Set(inventory.components.map((c) => normalise(c.purl)));
  const show = (list: string[]) => (list.length === 0 ? '—' : list.map((p) => `\`${p}\``).join(', '));
  log(
    `| ${fixtureDir} | ${ours.size} | ${theirs.size} | ${show([...theirs].filter((p) => !ours.has(p)))} | ${show([...ours].filter((p) => !theirs.has(p)))} |`,
  );
}
log('');
log('Notes:');
log('');
log(
  '- gatechain runs from its TypeScript sources (Node type stripping), so its figures include stripping its modules at start-up (only the extractors a scan needs are loaded); the built CLI starts faster. The peers run their published JavaScript.',
);
log(
  '- cdxgen needs no network with these flags (no install, no license fetch); cyclonedx-npm runs `npm ls --package-lock-only`, which reads only the lockfile. The big lockfile was locked with `--legacy-peer-deps`, so cyclonedx-npm needs `--ignore-npm-errors` for the unmet peers npm ls reports.',
);
log(
  '- Component sets compare name@version of every component with a purl (cdxgen types packages that ship a binary as `application`).',
);
log(
  '- Cross-check differences seen when this was written: cdxgen lists the project itself as a component for uv, Cargo (workspace crates) and NuGet (project references), which gatechain keeps as roots; on go.mod cdxgen reads `replace`/`exclude` lines and quoted paths as modules (`pkg:golang/=>@…`, `"gopkg.in/yaml.v3"`) and keeps the replaced and excluded versions, while gatechain applies them and adds `stdlib`; on requirements.txt cdxgen lists unpinned and URL requirements without a version (and `.` for `-e`), which gatechain reports as skipped, and it keeps `zope.interface` un-normalised; on gradle.lockfile cdxgen finds nothing without Gradle installed.',
);
log(
  '- Shared 2-core machine with other jobs running: absolute times are noisy, ratios within one run hold better.',
);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'sbom.md'), `${lines.join('\n')}\n`);
