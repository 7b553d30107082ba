import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves `requested` (relative to `root`) and proves it stays inside `root` once symlinks are followed.
 * Returns null for `..`, absolute paths elsewhere, symlinks out of the root, and files that do not exist.
 */
export async function resolveInside(root: string, requested: string): Promise<string | null> {
  if (!requested || requested.includes('\0')) return null;
  const realRoot = await realpath(root).catch(() => null);
  if (!realRoot) return null;
  const candidate = isAbsolute(requested) ? requested : resolve(realRoot, requested);
  const real = await realpath(candidate).catch(() => null);
  if (!real) return null;
  const rel = relative(realRoot, real);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel) ? real : null;
}
