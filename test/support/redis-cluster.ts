import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes';
import { waitFor } from './test-app';

/** A real three-master Redis Cluster on local ports, made with redis-server --cluster-enabled and redis-cli --cluster create. */
export class LocalRedisCluster {
  private readonly servers: ChildProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'langflix-cluster-'));
  ports: number[] = [];

  async start(): Promise<string> {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const dir = join(this.dir, String(port));
      mkdirSync(dir);
      this.servers.push(
        // prettier-ignore
        spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }),
      );
      this.ports.push(port);
    }
    await waitFor(async () => this.ports.every((p) => ping(p)), 10_000, 'the cluster nodes to start');
    // prettier-ignore
    execFileSync('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore' });
    await waitFor(async () => this.ports.every((p) => info(p).includes('cluster_state:ok')), 20_000, 'the cluster to be ok');
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise((resolve) => (s.exitCode !== null ? resolve(null) : (s.once('exit', resolve), s.kill('SIGTERM'))))));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const cli = (port: number, ...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args]).toString();
function ping(port: number): boolean {
  try {
    return cli(port, 'ping').trim() === 'PONG';
  } catch {
    return false;
  }
}
const info = (port: number) => cli(port, 'cluster', 'info');
