import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './test-app';

const MAIN = join(__dirname, '../../dist/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the built service (`npm test` builds it first) as its own OS process, and waits until it is up.
 * `cwd`: the folder it runs in (its .env and relative roots are read from there). `script`: another entry
 * point built on the compiled app (a test's own worker).
 */
export async function startProcess(env: Record<string, string>, ready: RegExp, cwd?: string, script = MAIN): Promise<AppProcess> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npm run build` (npm test does it)');
  let out = '';
  const child = spawn(process.execPath, [script], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await waitFor(async () => ready.test(out) || child.exitCode !== null, 30_000, `process to log ${ready}`);
  if (child.exitCode !== null) throw new Error(`process exited early:\n${out}`);
  return { child, output: () => out, exited };
}

export async function stopProcess(p: AppProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode) return;
  p.child.kill('SIGKILL');
  await p.exited;
}
