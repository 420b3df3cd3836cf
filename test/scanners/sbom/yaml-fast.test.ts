import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { parseFastYaml } from '../../../src/scanners/sbom/text/yaml-fast.ts';
import { fixtureText } from './helpers.ts';

/** What the full `yaml` parser gives, or undefined when it reports an error. */
function reference(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) return undefined;
  return { value: doc.toJS({ maxAliasCount: 100 }) };
}

/** The fast reader either declines (undefined) or agrees with the full parser exactly. */
function agrees(text: string): boolean {
  const fast = parseFastYaml(text);
  if (!fast) return false;
  const full = reference(text);
  assert.ok(full, `fast reader accepted text the full parser rejects:\n${text}`);
  assert.deepEqual(fast.value, full.value);
  return true;
}

test('the fast YAML reader takes the lockfiles package managers write, with the same values', () => {
  for (const [dir, file] of [
    ['pnpm-v5.3', 'pnpm-lock.yaml'],
    ['pnpm-v5', 'pnpm-lock.yaml'],
    ['pnpm-v6', 'pnpm-lock.yaml'],
    ['pnpm-v9', 'pnpm-lock.yaml'],
    ['yarn-berry', 'yarn.lock'],
  ] as const) {
    assert.equal(agrees(fixtureText(dir, file)), true, `${dir}/${file} stays on the fast path`);
  }
});

test('key lines come from the fast reader too', () => {
  const fast = parseFastYaml(fixtureText('pnpm-v9', 'pnpm-lock.yaml'))!;
  const packages = (fast.value as Record<string, object>)['packages']!;
  assert.equal(fast.lines.get(packages)?.get('debug@4.3.4'), 41);
});

test('scalars resolve as the YAML 1.2 core schema says', () => {
  const text = [
    'a: 1',
    'b: 1.10',
    'c: 0x1F',
    'd: true',
    'e: ~',
    'f: 1.2.3',
    "g: '5.0'",
    'h: "x\\ty"',
    'i: .inf',
    'j: -.5e3',
    'k: {x: 1, y: [a, "b", 2.0], z: {}}',
    "l: 'it''s'",
    'm: plain text # comment',
    '__proto__: {polluted: true}',
    'n:',
    'o:',
    '  - one',
    '  - 2',
  ].join('\n');
  assert.equal(agrees(text), true);
  const value = parseFastYaml(text)!.value as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.deepEqual(Object.getPrototypeOf(value), Object.prototype);
});

test('the fast reader declines what it does not handle', () => {
  for (const text of [
    'a: &x 1\nb: *x\n',
    'a: |\n  text\n',
    'a: !!str 1\n',
    '---\na: 1\n',
    'a:\n\tb: 1\n',
    'a:\n  multi\n  line\n',
    'a: [1,\n  2]\n',
    'key:\n- item\n',
    'a: {k: x\u000b}\n',
    'a: x\ry\n',
    '\ufeffa: 1\n',
    'a: b: c\n',
    '- top\n',
    '? complex\n: key\n',
  ]) {
    assert.equal(parseFastYaml(text), undefined, JSON.stringify(text));
  }
});

test('on random documents the fast reader declines or agrees with the full parser', () => {
  const key = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('a', '@s/p@1.0.0', '/x/1.0.0', 'resolution', '5.4'),
  );
  const scalar = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('1.0', '^1.2.3 || >=2', 'sha512-abc/+=', 'npm:1.0.0', "it's", 'a: b', 'x # y', '- z'),
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  let fastPath = 0;
  fc.assert(
    fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), fc.boolean(), (value, flow) => {
      const text = stringify(value, { collectionStyle: flow ? 'flow' : 'any' });
      if (agrees(text)) fastPath++;
    }),
    { numRuns: 500 },
  );
  assert.ok(fastPath > 40, `the fast path was taken ${fastPath} times`);
});

for (const [dir, file] of [
  ['pnpm-v9', 'pnpm-lock.yaml'],
  ['pnpm-v5', 'pnpm-lock.yaml'],
  ['yarn-berry', 'yarn.lock'],
] as const) {
  test(`on mutated ${dir}/${file} the fast reader declines or agrees with the full parser`, () => {
    const original = fixtureText(dir, file);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat({ max: original.length }),
            fc.nat({ max: 8 }),
            fc.constantFrom(
              ' ',
              '  ',
              ':',
              "'",
              "''",
              '"',
              '\\',
              '{',
              '}',
              '[',
              ']',
              '#',
              '- ',
              '\n',
              '\n  ',
              'x',
              '@',
              ',',
              '\t',
              '&a ',
              '*a',
              '|',
              '~',
              '.5',
              '!',
              '?',
              '%',
              '\r',
              '\u000b',
              '\u00a0',
              '\ufeff',
              '\u2028',
            ),
          ),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        (edits) => {
          let text = original;
          for (const [at, remove, insert] of edits)
            text = text.slice(0, at) + insert + text.slice(at + remove);
          const fast = parseFastYaml(text);
          if (!fast) return;
          const full = reference(text);
          assert.ok(full, `fast reader accepted text the full parser rejects:\n${text}`);
          assert.deepEqual(fast.value, full.value);
        },
      ),
      { numRuns: 500 },
    );
  });
}
