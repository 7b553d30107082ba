import { AppRole } from '../common/enums';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Env, validateEnv } from './env.schema';

/** The typed configuration the rest of the app receives. Nothing else reads process.env. */
export class AppConfig {
  constructor(readonly env: Env) {}

  /**
   * The environment, over the `.env` file of the working folder when there is one (as .env.example says):
   * a variable set (not empty) in the environment wins over the file.
   */
  static fromProcessEnv(cwd = process.cwd()): AppConfig {
    const set = Object.entries(process.env).filter(([, value]) => value !== undefined && value !== '');
    return new AppConfig(validateEnv({ ...readDotEnv(join(cwd, '.env')), ...Object.fromEntries(set) }));
  }

  /** Cluster nodes, when the service runs on a Redis Cluster. */
  get clusterNodes(): { host: string; port: number }[] {
    return hostPorts(this.env.REDIS_CLUSTER_NODES);
  }

  /** Connection options of a Sentinel-managed master, when configured. */
  get sentinel(): { sentinels: { host: string; port: number }[]; name: string; failoverDetector: boolean } | null {
    if (!this.env.REDIS_SENTINELS || !this.env.REDIS_SENTINEL_NAME) return null;
    // failoverDetector: leave the old master as soon as the sentinels announce the switch, instead of writing to
    // it until it is demoted (writes there would be lost).
    return { sentinels: hostPorts(this.env.REDIS_SENTINELS), name: this.env.REDIS_SENTINEL_NAME, failoverDetector: true };
  }

  /**
   * The prefix of every key. On a cluster it is a hash tag, so that each record and its indexes, and each Bull
   * queue's keys, share one slot (Lua scripts and MULTI need that).
   */
  get keyPrefix(): string {
    return this.clusterNodes.length ? `{${this.env.REDIS_PREFIX}}` : this.env.REDIS_PREFIX;
  }

  get apiKeys(): string[] {
    return this.env.API_KEYS ? this.env.API_KEYS.split(',') : [];
  }

  get adminKeys(): string[] {
    return this.env.ADMIN_API_KEYS ? this.env.ADMIN_API_KEYS.split(',') : [];
  }

  /** Whether the API checks keys at all (without, it listens on localhost only, unless HOST says otherwise). */
  get keysRequired(): boolean {
    return this.apiKeys.length > 0;
  }

  /** Swagger UI and the OpenAPI document: open without keys, behind them with keys unless DOCS_PUBLIC=true. */
  get docsPublic(): boolean {
    return this.env.DOCS_PUBLIC ? this.env.DOCS_PUBLIC === 'true' : !this.keysRequired;
  }

  /** Where HTTP listens: as configured, else everywhere only when keys protect the API. */
  get host(): string {
    return this.env.HOST ?? (this.apiKeys.length ? '0.0.0.0' : '127.0.0.1');
  }

  get prettyLogs(): boolean {
    return (this.env.LOG_FORMAT ?? (this.env.NODE_ENV === 'development' ? 'pretty' : 'json')) === 'pretty';
  }

  get runsApi(): boolean {
    return this.env.APP_ROLE !== AppRole.Worker;
  }

  /** Whether the process listens for HTTP: the API, or a worker with METRICS_PORT for its health and metrics. */
  get servesHttp(): boolean {
    return this.runsApi || this.env.METRICS_PORT !== undefined;
  }

  get runsWorkers(): boolean {
    return this.env.APP_ROLE !== AppRole.Api;
  }
}

/** The variables of a .env file; none when it does not exist. */
export function readDotEnv(file: string): Record<string, string | undefined> {
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

function hostPorts(list: string | undefined): { host: string; port: number }[] {
  return (list ?? '')
    .split(',')
    .filter(Boolean)
    .map((n) => {
      const [host, port] = n.split(':');
      return { host, port: Number(port) };
    });
}
