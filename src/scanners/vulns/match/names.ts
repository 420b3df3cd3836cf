/**
 * Package names as each ecosystem compares them, so a lockfile's spelling meets an advisory's:
 * PyPI by PEP 503 (case-folded, runs of "-", "_", "." as one "-"); NuGet, Packagist and
 * crates.io case-insensitively; Maven as "group:artifact" without stray spaces; Go module paths
 * exactly (they are case-sensitive) minus a trailing "/"; everything else as written.
 */
const NORMALISERS: Readonly<Record<string, (name: string) => string>> = {
  PyPI: (name) => name.toLowerCase().replace(/[-_.]+/g, '-'),
  NuGet: (name) => name.toLowerCase(),
  Packagist: (name) => name.toLowerCase(),
  'crates.io': (name) => name.toLowerCase(),
  Maven: (name) =>
    name
      .split(':')
      .map((part) => part.trim())
      .join(':'),
  Go: (name) => name.replace(/\/+$/, ''),
};

export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  const normalise = NORMALISERS[ecosystem];
  return normalise ? normalise(trimmed) : trimmed;
}

/** The index key of a package: base ecosystem and normalised name. */
export function packageKey(baseEcosystem: string, name: string): string {
  return `${baseEcosystem}\u0000${normalizePackageName(baseEcosystem, name)}`;
}
