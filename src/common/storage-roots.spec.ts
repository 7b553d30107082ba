import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateEnv } from '../config/env.schema';
import { checkRoot } from './storage-roots';

describe('storage roots', () => {
  it('refuses a missing root, a file, and the file system root; accepts a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'langflix-roots-'));
    writeFileSync(join(dir, 'file'), '');
    expect(() => checkRoot('OUTPUT_ROOT', join(dir, 'missing'))).toThrow(/OUTPUT_ROOT=.*missing does not exist: create it/);
    expect(() => checkRoot('OUTPUT_ROOT', join(dir, 'file'))).toThrow(/is not a folder/);
    expect(() => checkRoot('TEMP_ROOT', '/')).toThrow(/file system's root/);
    expect(() => checkRoot('TEMP_ROOT', join(dir, '..', '..', '..', '..', '..'))).toThrow(/file system's root/);
    expect(checkRoot('OUTPUT_ROOT', dir)).toBe(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('config refuses "/" roots, bad cron expressions and bad ages, naming the variable', () => {
    expect(() => validateEnv({ OUTPUT_ROOT: '/', CLEANUP_CRON: 'every night', CLEANUP_TEMP_MAX_AGE: 'a day' })).toThrow(
      /CLEANUP_TEMP_MAX_AGE="a day": CLEANUP_TEMP_MAX_AGE must be a duration[\s\S]*OUTPUT_ROOT must not be the file system's root[\s\S]*CLEANUP_CRON="every night" is not a cron expression/,
    );
  });
});
