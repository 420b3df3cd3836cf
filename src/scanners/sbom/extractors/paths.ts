/** Last path segment of a `/`-separated relative path. */
export function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** Path of a file next to `file` (both relative to the scan root), for error messages. */
export function siblingPath(file: string, relative: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? relative : `${file.slice(0, slash)}/${relative}`;
}

/** Directory part of a relative path, '' for a top-level file. */
export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
