/** Module source paths, as Terraform resolves them: relative to the calling module's folder. */

/** `dir` joined with a relative path; undefined when it climbs above the scan root. */
export function joinPath(dir: string, relative: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** A local module source (`./x`, `../x`), read from the scan rather than downloaded. */
export function isLocalSource(source: string): boolean {
  return /^\.\.?(\/|$)/.test(source);
}
