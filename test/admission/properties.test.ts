import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseDuration } from '../../src/admission/conditions/duration.ts';
import {
  AdmissionEngine,
  buildKeyring,
  containerImages,
  globMatch,
  loadPolicies,
  parseAdmissionReview,
  parseImageReference,
  parseTemplate,
  parseTimeoutParameter,
} from '../../src/admission/index.ts';
import { verifyAttestationBundle } from '../../src/attest/index.ts';
import { GatechainError } from '../../src/util/errors.ts';
import { makeRoleKey, policyYaml } from './helpers.ts';

/** Runs fn; only GatechainError may escape, and it is swallowed. */
function onlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof GatechainError)) throw error;
  }
}

const ci = makeRoleKey();
const validPolicy = policyYaml(ci);

describe('parsers only ever throw typed errors', () => {
  test('loadPolicies on arbitrary text and on mutated valid policies', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => onlyTyped(() => loadPolicies(text))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.nat(validPolicy.length),
        fc.nat(validPolicy.length),
        fc.string({ maxLength: 20 }),
        (start, length, insert) => {
          onlyTyped(() =>
            loadPolicies(validPolicy.slice(0, start) + insert + validPolicy.slice(start + length)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test('loadPolicies on arbitrary YAML-shaped values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        onlyTyped(() => loadPolicies(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  test('YAML alias bombs are refused, not expanded', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`;
    assert.throws(() => loadPolicies(bomb), GatechainError);
  });

  test('image references', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => onlyTyped(() => parseImageReference(text))),
      { numRuns: 1000 },
    );
    const component = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 4 }), fc.option(component), (parts, tag) => {
        const text = `${parts.join('/')}${tag ? `:${tag}` : ''}`;
        const ref = parseImageReference(text);
        assert.equal(ref.tag, tag ?? undefined);
      }),
    );
  });

  test('AdmissionReview bodies', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => onlyTyped(() => parseAdmissionReview(value))),
      { numRuns: 500 },
    );
  });

  test('templates, durations, timeouts and globs never throw untyped errors or hang', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => onlyTyped(() => parseTemplate(text))),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.anything(), (value) => void parseDuration(value)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.anything(), (value) => void parseTimeoutParameter(value)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 200 }), (pattern, text) => {
        globMatch(pattern, text);
      }),
      { numRuns: 500 },
    );
  });

  test('the engine answers any well-formed request over arbitrary objects without throwing', async () => {
    const policies = loadPolicies(validPolicy);
    const engine = new AdmissionEngine({
      policies,
      source: async () => [],
      verify: verifyAttestationBundle,
      keyring: buildKeyring(policies, [], []),
      breakGlassTtlSeconds: 7200,
    });
    const kinds = fc.constantFrom('Pod', 'Deployment', 'CronJob', 'Job', 'ConfigMap');
    await fc.assert(
      fc.asyncProperty(kinds, fc.jsonValue({ maxDepth: 6 }), async (kind, spec) => {
        const outcome = await engine.validate({
          uid: 'u',
          kind: { group: '', version: 'v1', kind },
          operation: 'CREATE',
          namespace: 'production',
          object: { kind, spec } as Record<string, unknown>,
        });
        assert.equal(typeof outcome.decision.allowed, 'boolean');
        containerImages(kind, { spec });
      }),
      { numRuns: 300 },
    );
  });
});
