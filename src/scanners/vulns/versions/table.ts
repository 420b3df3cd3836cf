import { alpineScheme } from './alpine.ts';
import { debianScheme } from './debian.ts';
import { dottedScheme } from './dotted.ts';
import { mavenScheme } from './maven.ts';
import { packagistScheme } from './packagist.ts';
import { pep440Scheme } from './pep440.ts';
import { rpmScheme } from './rpm.ts';
import { rubygemsScheme } from './rubygems.ts';
import { nugetScheme, pubScheme, semverScheme } from './semver.ts';
import type { VersionScheme } from './types.ts';

/**
 * Ecosystem (as OSV spells it) → its version ordering. Adding an ecosystem is one row here.
 * Ecosystems not listed can still match through an advisory's explicit `versions` list.
 */
export const VERSION_SCHEMES: Readonly<Record<string, VersionScheme>> = {
  npm: semverScheme as VersionScheme,
  'crates.io': semverScheme as VersionScheme,
  Go: semverScheme as VersionScheme,
  PyPI: pep440Scheme as VersionScheme,
  Maven: mavenScheme as VersionScheme,
  RubyGems: rubygemsScheme as VersionScheme,
  Packagist: packagistScheme as VersionScheme,
  NuGet: nugetScheme as VersionScheme,
  Debian: debianScheme as VersionScheme,
  Ubuntu: debianScheme as VersionScheme,
  Alpine: alpineScheme as VersionScheme,
  Pub: pubScheme as VersionScheme,
  Hackage: dottedScheme as VersionScheme,
  CRAN: dottedScheme as VersionScheme,
  'Red Hat': rpmScheme as VersionScheme,
  AlmaLinux: rpmScheme as VersionScheme,
  'Rocky Linux': rpmScheme as VersionScheme,
  openSUSE: rpmScheme as VersionScheme,
  SUSE: rpmScheme as VersionScheme,
  Mageia: rpmScheme as VersionScheme,
};

/** The SEMVER range type always uses SemVer 2.0 whatever the ecosystem. */
export const SEMVER_RANGE_SCHEME: VersionScheme = semverScheme as VersionScheme;

/** OSV ecosystems may carry a release suffix ("Debian:12", "Ubuntu:22.04:LTS"); order by the base. */
export function baseEcosystem(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}

export function schemeFor(ecosystem: string): VersionScheme | undefined {
  return VERSION_SCHEMES[baseEcosystem(ecosystem)];
}
