import type { Component, Ecosystem } from '../../../src/model/component.ts';

/** A component as an extractor would produce it, for matcher and gate tests. */
export function component(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  purlType = ecosystem.toLowerCase(),
): Component {
  return {
    ref: `pkg:${purlType}/${name}@${version}`,
    name,
    version,
    purl: `pkg:${purlType}/${name}@${version}`,
    ecosystem,
    scope: 'production',
    direct: true,
    dependsOn: [],
    location: { file: 'lockfile', line: 1 },
  };
}
