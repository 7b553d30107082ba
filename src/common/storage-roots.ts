import { realpathSync, statSync } from 'node:fs';

/**
 * A configured root must exist, be a folder and not be the file system's root: a typo must not make the
 * service write, or the cleanup delete, somewhere unintended. Returns its real path.
 */
export function checkRoot(name: string, path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new Error(`${name}=${path} does not exist: create it (mkdir -p ${path}) or point ${name} at an existing folder`);
  }
  if (real === '/') throw new Error(`${name}=${path} is the file system's root: point it at a folder of its own`);
  if (!statSync(real).isDirectory()) throw new Error(`${name}=${path} is not a folder`);
  return real;
}
