import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from '../../model/component.ts';
import { formatError } from './errors.ts';

const PURL_TYPE: Partial<Record<Ecosystem, string>> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Packagist: 'composer',
  Maven: 'maven',
  NuGet: 'nuget',
};

/** PEP 503 normalised project name: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Splits a name into purl namespace and name the way each ecosystem's purl type wants it. */
function splitName(ecosystem: Ecosystem, name: string): [string | undefined, string] {
  switch (ecosystem) {
    case 'npm': {
      if (name.startsWith('@')) {
        const slash = name.indexOf('/');
        if (slash > 1) return [name.slice(0, slash), name.slice(slash + 1)];
      }
      return [undefined, name];
    }
    case 'Go':
    case 'Packagist': {
      const slash = name.lastIndexOf('/');
      return slash > 0 ? [name.slice(0, slash), name.slice(slash + 1)] : [undefined, name];
    }
    case 'Maven': {
      const colon = name.indexOf(':');
      return colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : [undefined, name];
    }
    case 'PyPI':
      return [undefined, normalizePypiName(name)];
    default:
      return [undefined, name];
  }
}

export function purlFor(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  file: string,
  qualifiers?: Record<string, string>,
  line?: number,
): string {
  const type = PURL_TYPE[ecosystem];
  if (!type) throw formatError(file, `no purl type for ecosystem ${ecosystem}`, line);
  const [namespace, short] = splitName(ecosystem, name);
  // Go purls keep the module version's `v` prefix, which the component version drops (OSV spelling).
  const purlVersion = ecosystem === 'Go' && /^\d/.test(version) ? `v${version}` : version;
  try {
    return new PackageURL(type, namespace, short, purlVersion, qualifiers, undefined).toString();
  } catch (error) {
    throw formatError(
      file,
      `cannot form a package URL for ${name}@${version}: ${(error as Error).message}`,
      line,
    );
  }
}
