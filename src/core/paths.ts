/**
 * Repository paths as the engine hands them to formats: POSIX separators, relative to the scan's
 * root, normalized. Depends on nothing.
 */

/** The folder holding a file, '' at the root: `a/b/values.yaml` -> `a/b`, `main.tf` -> ''. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}
