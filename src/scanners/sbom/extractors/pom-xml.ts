import type { DependencyScope, SkippedDependency } from '../../../model/component.ts';
import { checkSize, formatError } from '../errors.ts';
import { finalize } from '../graph.ts';
import { child, children, childText, parseXml, type XmlElement } from '../text/xml.ts';
import type { DraftPackage, DraftRoot, Extractor } from '../types.ts';
import { MATCHERS } from './matchers.ts';

const MAX_SUBSTITUTIONS = 32;

/**
 * pom.xml, offline: the dependencies this pom declares, with `${...}` resolved from its own
 * `<properties>` and project coordinates, and versions missing from a dependency taken from its
 * own `<dependencyManagement>`. What would need a parent pom, a BOM or a repository is reported as
 * skipped. Transitive dependencies are out of reach without resolving against a repository.
 */
export const pomXmlExtractor: Extractor = {
  name: 'pom-xml',
  ecosystem: 'Maven',
  matches: MATCHERS['pom-xml'],
  extract(text, file) {
    checkSize(text, file);
    const project = parseXml(text, file);
    if (project.name.replace(/^.*:/, '') !== 'project')
      throw formatError(file, 'the root element must be <project>', project.line);
    const parent = child(project, 'parent');
    const properties = new Map<string, string>();
    for (const property of child(project, 'properties')?.children ?? [])
      properties.set(property.name, property.text.trim());
    const groupId = childText(project, 'groupId') ?? childText(parent, 'groupId');
    const artifactId = childText(project, 'artifactId');
    const version = childText(project, 'version') ?? childText(parent, 'version');
    const builtins: Record<string, string | undefined> = {
      'project.groupId': groupId,
      'project.artifactId': artifactId,
      'project.version': version,
      'pom.groupId': groupId,
      'pom.artifactId': artifactId,
      'pom.version': version,
      'project.parent.groupId': childText(parent, 'groupId'),
      'project.parent.version': childText(parent, 'version'),
    };
    const substitute = (value: string | undefined): string | undefined => {
      let current = value;
      for (let round = 0; current?.includes('${'); round++) {
        if (round >= MAX_SUBSTITUTIONS) return undefined;
        let unresolved = false;
        current = current.replace(/\$\{([^}]*)\}/g, (_, key: string) => {
          const found = builtins[key] ?? properties.get(key);
          if (found === undefined) unresolved = true;
          return found ?? '';
        });
        if (unresolved) return undefined;
      }
      return current;
    };
    const managed = new Map<string, string>();
    for (const dep of children(child(child(project, 'dependencyManagement'), 'dependencies'), 'dependency')) {
      const key = `${substitute(childText(dep, 'groupId'))}:${substitute(childText(dep, 'artifactId'))}`;
      const v = substitute(childText(dep, 'version'));
      if (v) managed.set(key, v);
    }
    const drafts: DraftPackage[] = [];
    const skipped: SkippedDependency[] = [];
    const declared = children(child(project, 'dependencies'), 'dependency');
    for (const dep of declared as XmlElement[]) {
      const group = substitute(childText(dep, 'groupId'));
      const artifact = substitute(childText(dep, 'artifactId'));
      const name = `${group ?? '?'}:${artifact ?? '?'}`;
      if (!group || !artifact) {
        skipped.push({
          name,
          reason: 'groupId or artifactId missing or not resolvable in this pom',
          location: { file, line: dep.line },
        });
        continue;
      }
      const rawVersion = childText(dep, 'version');
      const resolved = rawVersion === undefined ? managed.get(name) : substitute(rawVersion);
      if (!resolved) {
        const reason =
          rawVersion === undefined
            ? 'no version in this pom (managed by a parent or BOM)'
            : `version ${rawVersion} uses a property not defined in this pom`;
        skipped.push({ name, reason, location: { file, line: dep.line } });
        continue;
      }
      if (/^[[(]/.test(resolved)) {
        skipped.push({
          name,
          reason: `version range ${resolved} is resolved only against a repository`,
          location: { file, line: dep.line },
        });
        continue;
      }
      const mavenScope = childText(dep, 'scope');
      const scope: DependencyScope =
        mavenScope === 'test'
          ? 'development'
          : childText(dep, 'optional') === 'true'
            ? 'optional'
            : 'production';
      drafts.push({
        id: `${name}:${resolved}`,
        name,
        version: resolved,
        line: dep.line,
        dependsOn: [],
        scope,
        direct: true,
      });
    }
    const root: DraftRoot = {
      path: '.',
      name: `${substitute(groupId) ?? '?'}:${artifactId ?? '?'}`,
      version: substitute(version),
      line: project.line,
      production: drafts.filter((d) => d.scope === 'production').map((d) => d.id),
      development: drafts.filter((d) => d.scope === 'development').map((d) => d.id),
      optional: drafts.filter((d) => d.scope === 'optional').map((d) => d.id),
    };
    return finalize({ packages: drafts, roots: [root], skipped }, 'Maven', file);
  },
};
