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

/**
 * A first-party project or workspace member a lockfile describes (npm/yarn/pnpm workspace, Cargo
 * workspace member, the pom itself). Not a component: its `dependsOn` are the direct components.
 */
export interface InventoryRoot {
  /** Stable reference inside one inventory: `root:<file>!<path>`. */
  ref: string;
  name: string;
  version?: string;
  /** `ref`s of the components this root declares (the direct dependencies). */
  dependsOn: string[];
  location: { file: string; line?: number };
}

/** A declared dependency that could not be resolved to one version (e.g. unpinned requirement). */
export interface SkippedDependency {
  name: string;
  reason: string;
  location: { file: string; line?: number };
}

/** All components found under one root, with the files they came from. */
export interface Inventory {
  root: string;
  components: Component[];
  /** Lockfiles and manifests read, relative to root. */
  sources: string[];
  /** Projects and workspace members whose dependencies are the direct components. */
  roots?: InventoryRoot[];
  /** Declared dependencies left out, with the reason, so nothing is dropped silently. */
  skipped?: SkippedDependency[];
}
