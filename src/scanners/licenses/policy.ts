import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../util/errors.ts';
import { lineOfNode } from '../yaml-locate.ts';
import { compilePackageMatcher, expiryTime } from './exceptions.ts';
import { parseLicenseEntry } from './expression.ts';
import type { LicensePolicy } from './types.ts';

export const MAX_POLICY_BYTES = 1024 * 1024;

const verdict = z.enum(['allow', 'review', 'deny']);

const exceptionSchema = z.strictObject({
  package: z.string().min(1),
  verdict: verdict.default('allow'),
  license: z.string().min(1).optional(),
  expires: z
    .string()
    .refine((value) => Number.isFinite(expiryTime(value)) && /^\d{4}-\d{2}-\d{2}/.test(value), {
      message: 'expires must be an ISO date (YYYY-MM-DD) or date-time',
    }),
  justification: z.string().min(1),
  ticket: z.string().min(1).optional(),
});

const policySchema = z.strictObject({
  allow: z.array(z.string()).default([]),
  deny: z.array(z.string()).default([]),
  review: z.array(z.string()).default([]),
  unknown: verdict.default('review'),
  special: z
    .strictObject({
      missing: verdict.default('review'),
      unlicensed: verdict.default('deny'),
      seeLicenseIn: verdict.default('review'),
      custom: verdict.default('review'),
      nonSpdx: verdict.default('review'),
    })
    .default({
      missing: 'review',
      unlicensed: 'deny',
      seeLicenseIn: 'review',
      custom: 'review',
      nonSpdx: 'review',
    }),
  exceptions: z.array(exceptionSchema).default([]),
});

/**
 * Default lists: common permissive licenses allowed, weak copyleft to review, strong and network
 * copyleft denied. Everything else goes to review.
 */
export const DEFAULT_LICENSE_POLICY: LicensePolicy = {
  allow: [
    '0BSD',
    'Apache-2.0',
    'BlueOak-1.0.0',
    'BSD-2-Clause',
    'BSD-3-Clause',
    'CC0-1.0',
    'CC-BY-3.0',
    'CC-BY-4.0',
    'ISC',
    'MIT',
    'MIT-0',
    'Python-2.0',
    'Unlicense',
    'WTFPL',
    'Zlib',
  ],
  review: ['EPL-2.0', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'MPL-2.0'],
  deny: ['AGPL-3.0-only', 'AGPL-3.0-or-later', 'GPL-2.0-only', 'GPL-3.0-only', 'SSPL-1.0', 'BUSL-1.1'],
  unknown: 'review',
  special: {
    missing: 'review',
    unlicensed: 'deny',
    'see-license-in': 'review',
    custom: 'review',
    'non-spdx': 'review',
  },
  exceptions: [],
};

/**
 * Parses a license policy YAML file. Every error is an InputError naming the file and the line
 * of the offending entry: YAML syntax, unknown keys, bad verdicts, entries that are not SPDX
 * license ids, package specs that are neither a purl nor name@range, and malformed dates.
 */
export function parseLicensePolicy(text: string, file: string): LicensePolicy {
  if (text.length > MAX_POLICY_BYTES) {
    throw new InputError('LICENSE_POLICY_TOO_LARGE', `policy is larger than ${MAX_POLICY_BYTES} bytes`, {
      file,
    });
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line ?? counter.linePos(yamlError.pos[0]).line;
    throw new InputError('LICENSE_POLICY_SYNTAX', `not valid YAML: ${yamlError.message.split('\n')[0]}`, {
      file,
      line,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new InputError('LICENSE_POLICY_SYNTAX', `cannot read YAML: ${(error as Error).message}`, { file });
  }
  if (!isMap(doc.contents) && doc.contents !== null) {
    throw new InputError('LICENSE_POLICY_INVALID', 'license policy must be a mapping', {
      file,
      line: lineOfNode(doc, counter, []),
    });
  }
  const parsed = policySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const keys = issue?.code === 'unrecognized_keys' ? [...path, ...issue.keys.slice(0, 1)] : path;
    throw new InputError(
      'LICENSE_POLICY_INVALID',
      `${path.length > 0 ? path.join('.') : '(root)'}: ${issue?.message ?? 'invalid'}`,
      { file, line: lineOfNode(doc, counter, keys) },
    );
  }
  const data = parsed.data;
  for (const list of ['allow', 'deny', 'review'] as const) {
    data[list].forEach((entry, index) => {
      if (!parseLicenseEntry(entry)) {
        throw new InputError(
          'LICENSE_POLICY_INVALID',
          `${list}[${index}]: "${entry}" is not an SPDX license id (optionally WITH an exception) or LicenseRef-*`,
          { file, line: lineOfNode(doc, counter, [list, index]) },
        );
      }
    });
  }
  const exceptionsNode = doc.get('exceptions', true);
  const exceptions = data.exceptions.map((exception, index) => {
    const line = lineOfNode(doc, counter, ['exceptions', index]);
    if (!compilePackageMatcher(exception.package)) {
      throw new InputError(
        'LICENSE_POLICY_INVALID',
        `exceptions[${index}].package: "${exception.package}" is neither a purl nor name@semver-range`,
        { file, line: lineOfNode(doc, counter, ['exceptions', index, 'package']) },
      );
    }
    return { ...exception, ...(line !== undefined && isSeq(exceptionsNode) ? { line } : {}) };
  });
  return {
    allow: data.allow,
    deny: data.deny,
    review: data.review,
    unknown: data.unknown,
    special: {
      missing: data.special.missing,
      unlicensed: data.special.unlicensed,
      'see-license-in': data.special.seeLicenseIn,
      custom: data.special.custom,
      'non-spdx': data.special.nonSpdx,
    },
    exceptions,
  };
}
