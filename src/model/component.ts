/**
 * Ecosystem names as the OSV schema spells them, so a component's ecosystem can be matched
 * against `affected[].package.ecosystem` directly.
 */
export type Ecosystem =
  | 'npm'
  | 'PyPI'
  | 'Go'
  | 'crates.io'
  | 'RubyGems'
  | 'Packagist'
  | 'Maven'
  | 'NuGet'
  | 'Debian'
  | 'Alpine';

export type DependencyScope = 'production' | 'development' | 'optional';

/** A package found in a lockfile or manifest. */
export interface Component {
  /** Stable reference inside one inventory (the purl, plus a suffix when one purl appears twice). */
  ref: string;
  name: string;
  version: string;
  purl: string;
  ecosystem: Ecosystem;
  scope: DependencyScope;
  direct: boolean;
  /** `ref`s of the components this one depends on. */
  dependsOn: string[];
  /** SPDX license expression, when the file records one. */
  license?: string;
  /** Integrity hash when the file records one, e.g. {algorithm: 'sha512', value: base64 or hex}. */
  integrity?: { algorithm: string; value: string };
  location: { file: string; line?: number };
}

/** All components found under one root, with the files they came from. */
export interface Inventory {
  root: string;
  components: Component[];
  /** Lockfiles and manifests read, relative to root. */
  sources: string[];
}
