import parseSpdx from 'spdx-expression-parse';
import type { LicenseCategory } from './types.ts';

export type SpdxNode = parseSpdx.Info;

/** Longer strings are not treated as expressions (the parser recurses per parenthesis). */
export const MAX_EXPRESSION_LENGTH = 1000;

export type ClassifiedLicense =
  | { category: Exclude<LicenseCategory, 'spdx'> }
  | { category: 'spdx'; expression: SpdxNode };

/**
 * Reads a declared license string. npm's conventions (`UNLICENSED`, `SEE LICENSE IN <file>`) and
 * SPDX's NONE/NOASSERTION are recognised explicitly before the SPDX parser, which rejects them.
 */
export function classifyLicense(raw: string | undefined): ClassifiedLicense {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'NOASSERTION') return { category: 'missing' };
  if (/^unlicen[sc]ed$/i.test(text) || text === 'NONE') return { category: 'unlicensed' };
  if (/^see licen[sc]e in\b/i.test(text)) return { category: 'see-license-in' };
  if (/^(custom|proprietary|commercial|private)\b/i.test(text)) return { category: 'custom' };
  if (text.length > MAX_EXPRESSION_LENGTH) return { category: 'non-spdx' };
  try {
    return { category: 'spdx', expression: parseSpdx(text) };
  } catch {
    return { category: 'non-spdx' };
  }
}

/** Parses one policy list entry: a single license id, optionally `WITH` an exception. */
export function parseLicenseEntry(
  entry: string,
): { license: string; plus?: boolean; exception?: string } | undefined {
  if (/^(LicenseRef-|DocumentRef-)[A-Za-z0-9.:-]*\*$/.test(entry)) return { license: entry };
  try {
    const node = parseSpdx(entry);
    return 'license' in node ? node : undefined;
  } catch {
    return undefined;
  }
}
