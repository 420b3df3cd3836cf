import type {
  Component,
  DependencyScope,
  Ecosystem,
  InventoryRoot,
  SkippedDependency,
} from '../../model/component.ts';

/**
 * Reads another file next to the lockfile being extracted (a manifest such as package.json or
 * pyproject.toml), relative to the lockfile's directory. Returns undefined when the file is absent.
 * Injected so that extractors stay pure: the walker does the I/O.
 */
export type SiblingReader = (relativePath: string) => string | undefined;

export interface ExtractContext {
  readSibling?: SiblingReader;
  /** Sub-folders of a folder next to the lockfile (names only, sorted); [] when absent. */
  listFolders?: (relativePath: string) => string[];
}

/** What one lockfile or manifest yields. */
export interface Extraction {
  components: Component[];
  /** The project or workspace packages the file describes; their dependencies are the direct ones. */
  roots: InventoryRoot[];
  /** Declared dependencies that could not be pinned to one version, with the reason. */
  skipped: SkippedDependency[];
}

/** One lockfile format. `extract` is pure: text in, components out; it throws only GatechainError. */
export interface Extractor {
  /** Stable format name, e.g. `npm-package-lock`. */
  name: string;
  ecosystem: Ecosystem;
  /** Whether a path (relative, `/`-separated) is a file of this format. */
  matches(path: string): boolean;
  extract(text: string, file: string, context?: ExtractContext): Extraction;
}

/**
 * A package as read from a lockfile, before scope and direct-ness are settled over the graph.
 * `id` is the key the format uses for the package (a node_modules path, a descriptor, ...).
 */
export interface DraftPackage {
  id: string;
  name: string;
  version: string;
  line?: number;
  /** Ids of the packages this one needs. */
  dependsOn: string[];
  /** Ids of optional dependencies (a failed install does not fail the parent). */
  optionalDependsOn?: string[];
  /**
   * Edges that do not by themselves bring the target in (optional peer dependencies): kept in
   * the graph, ignored when settling scope.
   */
  weakDependsOn?: string[];
  /** Scope as the file states it; computed from the roots when absent. */
  scope?: DependencyScope;
  /** Direct-ness as the file states it; computed from the roots when absent. */
  direct?: boolean;
  license?: string;
  integrity?: { algorithm: string; value: string };
  /** purl qualifiers (e.g. a gem's platform). */
  qualifiers?: Record<string, string>;
}

/** A project or workspace member, with its declared dependencies split by kind (ids of drafts). */
export interface DraftRoot {
  /** Path of the workspace member relative to the lockfile's directory ('.' for the project). */
  path: string;
  name: string;
  version?: string;
  line?: number;
  production: string[];
  development: string[];
  optional: string[];
}

export interface DraftGraph {
  packages: DraftPackage[];
  roots: DraftRoot[];
  skipped?: SkippedDependency[];
}
