/**
 * Where each workload kind keeps its pod spec, as a table: adding a controller is one row.
 * Paths are JSON pointer segments from the object root.
 */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export interface ContainerImage {
  /** The image string exactly as in the object. */
  image: string;
  containerName: string;
  list: (typeof CONTAINER_LISTS)[number];
  /** RFC 6901 pointer to the `image` field, for patches. */
  pointer: string;
}

/** Upper bound on containers per object: a hostile object cannot make us verify without end. */
export const MAX_CONTAINERS = 256;

function child(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

/**
 * Lists every container image of a workload object. Unknown kinds yield none; a malformed
 * container list is reported, never skipped, because skipping would admit unverified images.
 */
export function containerImages(
  kind: string,
  object: unknown,
): { images: ContainerImage[]; problems: string[] } {
  const path = POD_SPEC_PATHS[kind];
  const images: ContainerImage[] = [];
  const problems: string[] = [];
  if (!path) return { images, problems };
  let spec: unknown = object;
  for (const key of path) spec = child(spec, key);
  if (spec === undefined) {
    problems.push(`${kind} has no ${path.join('.')}`);
    return { images, problems };
  }
  const base = `/${path.join('/')}`;
  for (const list of CONTAINER_LISTS) {
    const containers = child(spec, list);
    if (containers === undefined || containers === null) continue;
    if (!Array.isArray(containers)) {
      problems.push(`${path.join('.')}.${list} is not a list`);
      continue;
    }
    for (const [index, container] of containers.entries()) {
      const image = child(container, 'image');
      const name = child(container, 'name');
      if (typeof image !== 'string' || image.length === 0) {
        problems.push(`${path.join('.')}.${list}[${index}].image is missing or not a string`);
        continue;
      }
      images.push({
        image,
        containerName: typeof name === 'string' ? name : `${list}[${index}]`,
        list,
        pointer: `${base}/${list}/${index}/image`,
      });
    }
  }
  if (images.length > MAX_CONTAINERS) {
    problems.push(`more than ${MAX_CONTAINERS} containers`);
    images.length = MAX_CONTAINERS;
  }
  return { images, problems };
}
