import { PackageURL } from 'packageurl-js';
import semver from 'semver';
import type { Component } from '../../model/component.ts';
import type { LicenseException } from './types.ts';

export type PackageMatcher = (component: Pick<Component, 'name' | 'version' | 'purl'>) => boolean;

/** `pkg:type/ns/name[@version]` or `name[@range]`; undefined when the text is neither. */
export function compilePackageMatcher(spec: string): PackageMatcher | undefined {
  if (spec.startsWith('pkg:')) {
    let wanted: PackageURL;
    try {
      wanted = PackageURL.fromString(spec);
    } catch {
      return undefined;
    }
    return (component) => {
      let actual: PackageURL;
      try {
        actual = PackageURL.fromString(component.purl);
      } catch {
        return false;
      }
      return (
        actual.type === wanted.type &&
        (actual.namespace ?? '') === (wanted.namespace ?? '') &&
        actual.name === wanted.name &&
        (wanted.version === undefined || wanted.version === null || actual.version === wanted.version)
      );
    };
  }
  // Scoped npm names start with "@": the version separator is the last "@" after the first char.
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : spec;
  const range = at > 0 ? spec.slice(at + 1) : '*';
  if (name.length === 0 || /\s/.test(name) || semver.validRange(range) === null) return undefined;
  return (component) =>
    component.name === name &&
    (range === '*' || semver.satisfies(component.version, range, { includePrerelease: true, loose: true }));
}

/** End of validity: a bare date is valid through 23:59:59.999 UTC of that day. */
export function expiryTime(expires: string): number {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(expires);
  return bare ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

export function isExpired(exception: Pick<LicenseException, 'expires'>, now: Date): boolean {
  const end = expiryTime(exception.expires);
  return !Number.isFinite(end) || now.getTime() > end;
}
