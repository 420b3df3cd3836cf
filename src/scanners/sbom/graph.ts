import type { Component, DependencyScope, Ecosystem, InventoryRoot } from '../../model/component.ts';
import { purlFor } from './purl.ts';
import type { DraftGraph, DraftPackage, Extraction } from './types.ts';

const SCOPE_RANK: Record<DependencyScope, number> = { production: 3, optional: 2, development: 1 };

function reach(start: Iterable<string>, byId: Map<string, DraftPackage>, withOptional: boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    const draft = byId.get(id);
    if (!draft) continue;
    seen.add(id);
    for (const next of draft.dependsOn) if (!seen.has(next)) stack.push(next);
    if (withOptional) for (const next of draft.optionalDependsOn ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}

export function rootRef(file: string, path: string): string {
  return `root:${file}!${path}`;
}

/**
 * Settles scope and direct-ness over the dependency graph and turns drafts into components.
 * Scope, when the file does not state it: production if reachable from a root's production
 * dependencies through required edges; optional if reachable only through an optional edge or
 * declaration; development if reachable only from development dependencies. A package no root
 * reaches stays production: reporting it beats hiding it. Drafts sharing a purl merge into one
 * component with the strongest scope.
 */
export function finalize(graph: DraftGraph, ecosystem: Ecosystem, file: string): Extraction {
  const byId = new Map<string, DraftPackage>();
  for (const draft of graph.packages) if (!byId.has(draft.id)) byId.set(draft.id, draft);

  const prodStarts = graph.roots.flatMap((root) => root.production);
  const optStarts = graph.roots.flatMap((root) => root.optional);
  const devStarts = graph.roots.flatMap((root) => root.development);
  const production = reach(prodStarts, byId, false);
  const optional = reach([...prodStarts, ...optStarts], byId, true);
  const development = reach(devStarts, byId, true);
  const declared = new Set([...prodStarts, ...optStarts, ...devStarts]);

  const purlOf = new Map<string, string>();
  const merged = new Map<string, Component>();
  for (const draft of byId.values()) {
    const purl = purlFor(ecosystem, draft.name, draft.version, file, draft.qualifiers, draft.line);
    purlOf.set(draft.id, purl);
    const scope: DependencyScope =
      draft.scope ??
      (production.has(draft.id)
        ? 'production'
        : optional.has(draft.id)
          ? 'optional'
          : development.has(draft.id)
            ? 'development'
            : 'production');
    const direct = draft.direct ?? declared.has(draft.id);
    const existing = merged.get(purl);
    if (existing) {
      if (SCOPE_RANK[scope] > SCOPE_RANK[existing.scope]) existing.scope = scope;
      existing.direct ||= direct;
      if (
        draft.line !== undefined &&
        (existing.location.line === undefined || draft.line < existing.location.line)
      ) {
        existing.location.line = draft.line;
      }
      existing.license ??= draft.license;
      existing.integrity ??= draft.integrity;
      continue;
    }
    const component: Component = {
      ref: purl,
      name: draft.name,
      version: draft.version,
      purl,
      ecosystem,
      scope,
      direct,
      dependsOn: [],
      location: draft.line === undefined ? { file } : { file, line: draft.line },
    };
    if (draft.license) component.license = draft.license;
    if (draft.integrity) component.integrity = draft.integrity;
    merged.set(purl, component);
  }

  const edges = new Map<string, Set<string>>();
  for (const draft of byId.values()) {
    const from = purlOf.get(draft.id)!;
    let set = edges.get(from);
    if (!set) {
      set = new Set();
      edges.set(from, set);
    }
    for (const id of [
      ...draft.dependsOn,
      ...(draft.optionalDependsOn ?? []),
      ...(draft.weakDependsOn ?? []),
    ]) {
      const to = purlOf.get(id);
      if (to && to !== from) set.add(to);
    }
  }
  for (const component of merged.values()) component.dependsOn = [...(edges.get(component.ref) ?? [])].sort();

  const roots: InventoryRoot[] = graph.roots.map((root) => {
    const dependsOn = new Set<string>();
    for (const id of [...root.production, ...root.optional, ...root.development]) {
      const purl = purlOf.get(id);
      if (purl) dependsOn.add(purl);
    }
    const out: InventoryRoot = {
      ref: rootRef(file, root.path),
      name: root.name,
      dependsOn: [...dependsOn].sort(),
      location: root.line === undefined ? { file } : { file, line: root.line },
    };
    if (root.version) out.version = root.version;
    return out;
  });

  const components = [...merged.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return { components, roots, skipped: graph.skipped ?? [] };
}
