import { Dirent } from 'node:fs';
import { lstat, opendir, rmdir, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Entries handled at once within a folder. */
const BATCH = 64;

export type Verdict = { remove: true; kind: string } | { remove: false; reason: string };

export interface SweepEvents {
  removed(path: string, kind: string, bytes: number): void | Promise<void>;
  kept(path: string, reason: string): void;
  error(path: string, err: Error): void;
  emptyDirRemoved(path: string): void;
}

/**
 * Walks a root depth first, streaming each folder (opendir: never a whole listing in memory), and asks
 * `judge` about every file by its path relative to the root. Symlinks are never followed nor removed;
 * folders left empty are removed (never the root). A file that vanishes or cannot be removed is reported
 * and the walk goes on.
 */
export async function sweepTree(root: string, judge: (rel: string[], mtimeMs: number) => Verdict, events: SweepEvents, dryRun: boolean): Promise<void> {
  const walk = async (dir: string): Promise<boolean> => {
    let empty = true;
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: BATCH });
    } catch (err) {
      events.error(dir, err as Error);
      return false;
    }
    const visit = async (name: string): Promise<boolean> => {
      const path = join(dir, name);
      try {
        const st = await lstat(path);
        if (st.isSymbolicLink()) {
          events.kept(path, 'symlink (never followed)');
          return false;
        }
        if (st.isDirectory()) {
          if (!(await walk(path)) || dryRun) return false;
          await rmdir(path).then(
            () => events.emptyDirRemoved(path),
            (err: NodeJS.ErrnoException) => {
              if (err.code !== 'ENOENT') throw err;
            },
          );
          return true;
        }
        const verdict = judge(relative(root, path).split(sep), st.mtimeMs);
        if (!verdict.remove) {
          events.kept(path, verdict.reason);
          return false;
        }
        if (!dryRun) await unlink(path);
        await events.removed(path, verdict.kind, st.size);
        return !dryRun;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true; // gone meanwhile: nothing to do
        events.error(path, err as Error);
        return false;
      }
    };
    // A bounded batch of entries at a time: the file system works in parallel, memory stays flat.
    let batch: string[] = [];
    const flush = async () => {
      const results = await Promise.all(batch.map(visit));
      if (results.includes(false)) empty = false;
      batch = [];
    };
    for await (const entry of handle as AsyncIterable<Dirent>) {
      batch.push(entry.name);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return empty;
  };
  await walk(root);
}
