import { createHash, createPublicKey } from 'node:crypto';
import { RE2JS } from 're2js';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { resolvePredicateType } from '../../model/predicate-types.ts';
import { InputError } from '../../util/errors.ts';
import { parseTemplate } from '../conditions/template.ts';
import {
  type AttestorSetInput,
  type ClusterPolicyInput,
  type ConditionBlockInput,
  clusterPolicySchema,
  type ResourceMatchInput,
} from './schema.ts';
import type {
  AdmissionPolicy,
  AttestorSet,
  ConditionBlock,
  FailureAction,
  PolicyRule,
  ResourceMatch,
  VerifyImagesEntry,
} from './types.ts';
import { lineOfPath } from './yaml-locate.ts';

/** Policy files larger than this are refused before parsing. */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** Controllers whose pod templates a Pod rule also covers, as Kyverno's autogen does. */
export const AUTOGEN_CONTROLLERS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

interface Locator {
  file?: string;
  at(path: ReadonlyArray<PropertyKey>, key?: string): number | undefined;
}

function fail(locator: Locator, path: ReadonlyArray<PropertyKey>, message: string, key?: string): never {
  const field = [...path, ...(key === undefined ? [] : [key])].join('.');
  throw new InputError('ADMISSION_POLICY_INVALID', `${field ? `${field}: ` : ''}${message}`, {
    file: locator.file,
    line: locator.at(path, key),
  });
}

/**
 * Parses one or more ClusterPolicy documents from YAML text. Every field outside gatechain's
 * subset, every bad value and every unsupported combination is an InputError naming the field
 * and line.
 */
export function loadPolicies(text: string, file?: string): AdmissionPolicy[] {
  if (text.length > MAX_POLICY_BYTES) {
    throw new InputError('ADMISSION_POLICY_TOO_LARGE', `policy file is over ${MAX_POLICY_BYTES} bytes`, {
      file,
    });
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const policies: AdmissionPolicy[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line;
      throw new InputError('YAML_SYNTAX', `not valid YAML: ${error.message.split('\n')[0]}`, { file, line });
    }
    if (doc.contents === null) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (cause) {
      throw new InputError('YAML_SYNTAX', `not valid YAML: ${(cause as Error).message}`, { file }, { cause });
    }
    policies.push(compilePolicy(value, docLocator(doc, lineCounter, file)));
  }
  if (policies.length === 0) {
    throw new InputError('ADMISSION_POLICY_INVALID', 'the file holds no ClusterPolicy', { file });
  }
  checkUniquePolicyNames(policies);
  return policies;
}

/** Policy names identify entries (their ids) and violations in records: no two policies may share one. */
export function checkUniquePolicyNames(policies: readonly AdmissionPolicy[]): void {
  const names = new Set<string>();
  for (const policy of policies) {
    if (names.has(policy.name)) {
      throw new InputError(
        'ADMISSION_POLICY_INVALID',
        `two policies are named ${policy.name}`,
        policy.source,
      );
    }
    names.add(policy.name);
  }
}

function docLocator(doc: Document, lineCounter: LineCounter, file?: string): Locator {
  return { file, at: (path, key) => lineOfPath(doc, lineCounter, path, key) };
}

function describeIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; key?: string; message: string } {
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return {
      path,
      key,
      message: `is not part of the verifyImages subset gatechain implements (see docs/admission.md); remove it or use a supported field`,
    };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { path, message: 'is required' };
  }
  return { path, message: issue.message };
}

function compilePolicy(value: unknown, locator: Locator): AdmissionPolicy {
  const parsed = clusterPolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const described = describeIssue(issue);
    fail(locator, described.path, described.message, described.key);
  }
  const input: ClusterPolicyInput = parsed.data;
  const policyAction = normaliseAction(input.spec.validationFailureAction) ?? 'Audit';
  const annotations = input.metadata.annotations ?? {};
  const autogen = autogenFrom(annotations[AUTOGEN_ANNOTATION]);
  const rules: PolicyRule[] = input.spec.rules.map((rule, ruleIndex) => {
    const rulePath = ['spec', 'rules', ruleIndex];
    const match = compileMatch(rule.match, [...rulePath, 'match'], locator);
    const exclude = rule.exclude ? compileMatch(rule.exclude, [...rulePath, 'exclude'], locator) : undefined;
    const verifyImages = rule.verifyImages.map((entry, entryIndex): VerifyImagesEntry => {
      const entryPath = [...rulePath, 'verifyImages', entryIndex];
      for (const [i, reference] of entry.imageReferences.entries()) {
        if (reference.includes('{{'))
          fail(locator, [...entryPath, 'imageReferences', i], 'variables are not allowed');
      }
      const failureAction = normaliseAction(entry.failureAction) ?? policyAction;
      if (entry.mutateDigest === true && failureAction === 'Audit') {
        fail(locator, entryPath, 'cannot be true with failureAction Audit (as in Kyverno)', 'mutateDigest');
      }
      const attestors = (entry.attestors ?? []).map((set, i) =>
        compileAttestorSet(set, [...entryPath, 'attestors', i], locator),
      );
      const attestations = (entry.attestations ?? []).map((attestation, i) => {
        const path = [...entryPath, 'attestations', i];
        if (attestation.type && attestation.predicateType && attestation.type !== attestation.predicateType) {
          fail(locator, path, 'type and predicateType disagree; give one', 'type');
        }
        const predicateType = attestation.type ?? attestation.predicateType;
        if (!predicateType) fail(locator, path, 'is required', 'type');
        return {
          predicateType: resolvePredicateType(predicateType),
          ...(attestation.name ? { name: attestation.name } : {}),
          attestors: (attestation.attestors ?? []).map((set, j) =>
            compileAttestorSet(set, [...path, 'attestors', j], locator),
          ),
          conditions: (attestation.conditions ?? []).map((block, j) =>
            compileConditions(block, [...path, 'conditions', j], locator),
          ),
        };
      });
      if (attestors.length === 0 && attestations.length === 0) {
        fail(
          locator,
          entryPath,
          'needs attestors or attestations: an entry that checks nothing admits everything',
        );
      }
      for (const [i, attestation] of attestations.entries()) {
        if (attestation.attestors.length === 0 && attestors.length === 0) {
          fail(
            locator,
            [...entryPath, 'attestations', i],
            'needs attestors here or on its verifyImages entry',
          );
        }
      }
      return {
        id: `${input.metadata.name}/${rule.name}/${entryIndex}`,
        imageReferences: entry.imageReferences,
        skipImageReferences: entry.skipImageReferences ?? [],
        failureAction,
        attestors,
        attestations,
        required: entry.required ?? true,
        verifyDigest: entry.verifyDigest ?? true,
        // Kyverno rejects mutateDigest with Audit, so its default only holds under Enforce.
        mutateDigest: entry.mutateDigest ?? failureAction === 'Enforce',
        useCache: entry.useCache ?? true,
      };
    });
    return {
      name: rule.name,
      match,
      ...(exclude ? { exclude } : {}),
      autogenControllers: autogen,
      verifyImages,
    };
  });
  const ruleNames = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (ruleNames.has(rule.name))
      fail(locator, ['spec', 'rules', i], `duplicate rule name ${rule.name}`, 'name');
    ruleNames.add(rule.name);
  }
  const compiled = {
    name: input.metadata.name,
    validationFailureAction: policyAction,
    rules,
  };
  return {
    ...compiled,
    source: { file: locator.file, line: locator.at([]) },
    hash: createHash('sha256').update(JSON.stringify(compiled)).digest('hex'),
  };
}

function normaliseAction(action: string | undefined): FailureAction | undefined {
  if (action === undefined) return undefined;
  return action.toLowerCase() === 'enforce' ? 'Enforce' : 'Audit';
}

function autogenFrom(annotation: string | undefined): string[] {
  if (annotation === undefined) return AUTOGEN_CONTROLLERS;
  if (annotation.trim() === 'none') return [];
  return annotation
    .split(',')
    .map((kind) => kind.trim())
    .filter((kind) => AUTOGEN_CONTROLLERS.includes(kind));
}

function compileMatch(input: ResourceMatchInput, path: PropertyKey[], locator: Locator): ResourceMatch {
  const filters = (list: typeof input.any) =>
    (list ?? []).map((filter) => ({
      kinds: (filter.resources.kinds ?? ['*']).map(kindName),
      namespaces: filter.resources.namespaces ?? [],
    }));
  const any = filters(input.any);
  const all = filters(input.all);
  if (input.resources) {
    all.push({
      kinds: (input.resources.kinds ?? ['*']).map(kindName),
      namespaces: input.resources.namespaces ?? [],
    });
  }
  if (any.length === 0 && all.length === 0) fail(locator, path, 'needs any, all or resources');
  return { any, all };
}

/** `apps/v1/Deployment` → `Deployment`. */
function kindName(kind: string): string {
  const parts = kind.split('/');
  return parts[parts.length - 1] ?? kind;
}

function compileAttestorSet(input: AttestorSetInput, path: PropertyKey[], locator: Locator): AttestorSet {
  const entries = input.entries.map((entry, i) => {
    const entryPath = [...path, 'entries', i];
    if ((entry.keys ? 1 : 0) + (entry.keyless ? 1 : 0) !== 1) {
      fail(locator, entryPath, 'needs exactly one of keys or keyless');
    }
    if (entry.keys) {
      const keysPath = [...entryPath, 'keys'];
      const pem = entry.keys.publicKeys.trim();
      const blocks = pem.match(/-----BEGIN PUBLIC KEY-----/g)?.length ?? 0;
      if (blocks !== 1) {
        fail(
          locator,
          keysPath,
          'must hold exactly one PEM public key; give each key its own entry and use count',
          'publicKeys',
        );
      }
      try {
        createPublicKey(pem);
      } catch {
        fail(
          locator,
          keysPath,
          'is not a valid PEM public key (k8s:// and kms references are not supported)',
          'publicKeys',
        );
      }
      if (entry.keys.rekor && entry.keys.rekor.ignoreTlog !== true) {
        fail(
          locator,
          keysPath,
          'keyed attestations are checked against the store, not Rekor; set rekor.ignoreTlog: true or remove rekor',
          'rekor',
        );
      }
      if (entry.keys.ctlog && entry.keys.ctlog.ignoreSCT !== true) {
        fail(
          locator,
          keysPath,
          'keyed attestations carry no SCT; set ctlog.ignoreSCT: true or remove ctlog',
          'ctlog',
        );
      }
      return { type: 'key' as const, publicKeyPem: `${pem}\n` };
    }
    const keyless = entry.keyless!;
    const keylessPath = [...entryPath, 'keyless'];
    if (!keyless.subject && !keyless.subjectRegExp)
      fail(locator, keylessPath, 'needs subject or subjectRegExp');
    if (!keyless.issuer && !keyless.issuerRegExp) fail(locator, keylessPath, 'needs issuer or issuerRegExp');
    for (const field of ['subjectRegExp', 'issuerRegExp'] as const) {
      const pattern = keyless[field];
      if (pattern === undefined) continue;
      try {
        RE2JS.compile(pattern);
      } catch {
        fail(locator, keylessPath, 'is not a valid RE2 regular expression', field);
      }
    }
    // Logs and CT keys come from the trusted root; a per-attestor override would be ignored.
    if (keyless.rekor?.pubkey || keyless.rekor?.ignoreTlog) {
      fail(
        locator,
        [...keylessPath, 'rekor'],
        'transparency logs come from the trusted root (--trusted-root); remove pubkey and ignoreTlog',
        keyless.rekor.pubkey ? 'pubkey' : 'ignoreTlog',
      );
    }
    if (keyless.ctlog?.pubkey || keyless.ctlog?.ignoreSCT) {
      fail(
        locator,
        [...keylessPath, 'ctlog'],
        'CT logs come from the trusted root (--trusted-root); remove pubkey and ignoreSCT',
        keyless.ctlog.pubkey ? 'pubkey' : 'ignoreSCT',
      );
    }
    return {
      type: 'keyless' as const,
      ...(keyless.subject ? { subject: keyless.subject } : {}),
      ...(keyless.subjectRegExp ? { subjectRegExp: keyless.subjectRegExp } : {}),
      ...(keyless.issuer ? { issuer: keyless.issuer } : {}),
      ...(keyless.issuerRegExp ? { issuerRegExp: keyless.issuerRegExp } : {}),
      ...(keyless.rekor?.url ? { rekorUrl: keyless.rekor.url } : {}),
    };
  });
  const count = input.count ?? entries.length;
  if (count > entries.length)
    fail(locator, path, `is ${count} but there are only ${entries.length} entries`, 'count');
  return { count, entries };
}

function compileConditions(
  input: ConditionBlockInput,
  path: PropertyKey[],
  locator: Locator,
): ConditionBlock {
  const compile = (list: ConditionBlockInput['all'], kind: 'all' | 'any') =>
    (list ?? []).map((condition, i) => {
      const conditionPath = [...path, kind, i];
      for (const field of ['key', 'value'] as const) {
        const raw = condition[field];
        if (typeof raw !== 'string') continue;
        try {
          parseTemplate(raw);
        } catch (cause) {
          fail(locator, conditionPath, (cause as Error).message, field);
        }
      }
      return {
        key: condition.key,
        operator: condition.operator,
        value: condition.value,
        ...(condition.message ? { message: condition.message } : {}),
      };
    });
  const block = { all: compile(input.all, 'all'), any: compile(input.any, 'any') };
  if (block.all.length === 0 && block.any.length === 0) fail(locator, path, 'needs all or any conditions');
  return block;
}
