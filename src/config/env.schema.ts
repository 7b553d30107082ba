import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { CronTime } from 'cron';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { AppRole } from '../common/enums';

const DURATION = /^(\d+(?:\.\d+)?)\s*([smhd])$/;

/** Every environment variable the service reads, with its default. Validated once at boot. */
export class EnvSchema {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  /** Unset: 0.0.0.0 when API_KEYS protect the API, 127.0.0.1 when they do not. */
  @IsOptional() @IsString() HOST?: string;
  /** Comma-separated keys; when set, every /api route needs one (Authorization: Bearer <key>, or X-API-Key). */
  @IsOptional()
  @Matches(/^[^,\s]{16,}(,[^,\s]{16,})*$/, { message: 'API_KEYS must be comma-separated keys of at least 16 characters' })
  API_KEYS?: string;
  /**
   * Keys for what can destroy or stop work: queue control, the queue dashboard, manual cleanup, purging a
   * job's outputs. With API_KEYS set and these unset, nobody may do those over HTTP.
   */
  @IsOptional()
  @Matches(/^[^,\s]{16,}(,[^,\s]{16,})*$/, { message: 'ADMIN_API_KEYS must be comma-separated keys of at least 16 characters' })
  ADMIN_API_KEYS?: string;
  /** Whether /docs and /docs-json answer without a key when keys are set (unset: no). */
  @IsOptional() @IsIn(['true', 'false'], { message: 'DOCS_PUBLIC must be true or false' }) DOCS_PUBLIC?: string;
  /** Whether /health answers without a key when API_KEYS is set. */
  @IsIn(['true', 'false']) AUTH_PUBLIC_HEALTH: string = 'true';
  /** Whether /metrics answers without a key when API_KEYS is set (a scraper inside the network). */
  @IsIn(['true', 'false']) AUTH_PUBLIC_METRICS: string = 'true';
  /** Requests per minute per API key (or per IP without one), across all API processes; 0 turns limits off. */
  @IsInt() @Min(0) RATE_LIMIT_PER_MINUTE: number = 600;
  /** Comma-separated origins allowed by CORS; unset: no cross-origin access. */
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must look like redis://host:port[/db]' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'REDIS_PREFIX may use letters, digits and _.:- (1..64)' })
  REDIS_PREFIX: string = 'langflix';
  /** host:port,host:port… of a Redis Cluster; when set it replaces REDIS_URL. */
  @IsOptional()
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, { message: 'REDIS_CLUSTER_NODES must look like host:port,host:port' })
  REDIS_CLUSTER_NODES?: string;
  /** host:port,… of Redis Sentinels; with REDIS_SENTINEL_NAME they replace REDIS_URL and follow failovers. */
  @IsOptional()
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, { message: 'REDIS_SENTINELS must look like host:port,host:port' })
  REDIS_SENTINELS?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: "REDIS_SENTINEL_NAME must be the monitored master's name" })
  REDIS_SENTINEL_NAME?: string;
  @IsEnum(AppRole, { message: 'APP_ROLE must be one of api, worker, all' }) APP_ROLE: AppRole = AppRole.All;
  /** APP_ROLE=worker: serve /health, /health/ready and /metrics on this port (the other roles serve them on PORT). */
  @IsOptional() @IsInt() @Min(1) @Max(65535) METRICS_PORT?: number;

  /** `development` makes the logs pretty unless LOG_FORMAT says otherwise. */
  @IsOptional() @IsString() NODE_ENV?: string;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL: string = 'info';
  /** json: one JSON object per line (for log collectors); pretty: coloured lines for a terminal. Unset: pretty in development. */
  @IsOptional() @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' }) LOG_FORMAT?: string;

  @IsInt() @Min(60) STATUS_TTL_SECONDS: number = 3600;
  /** How long a job waiting for review (`review: true`) waits; then its record expires and its uploads are swept. */
  @IsInt() @Min(1) REVIEW_TTL_SECONDS: number = 86_400;
  /** How long a media link (a file's URL with a token, for a <video> or <img> element, which send no key) opens it. */
  @IsInt() @Min(60) @Max(604_800) MEDIA_LINK_TTL_SECONDS: number = 21_600;
  /** A comment line this often on every live status stream, so that proxies keep quiet streams open. */
  @IsInt() @Min(100) @Max(300_000) SSE_HEARTBEAT_MS: number = 15_000;
  @IsInt() @Min(10) @Max(100_000) RECENT_PIPELINES_LIMIT: number = 1000;
  /**
   * Most jobs (records) created within STATUS_TTL_SECONDS; beyond, new ones get a 503 with Retry-After instead
   * of filling Redis (a record is about 5 KB, its result more). 0: no cap.
   */
  @IsInt() @Min(0) MAX_LIVE_RECORDS: number = 100_000;
  /** Large jobs (an analysis of more than HEAVY_TEXT_BYTES, or any video job) one client may have running at once. 0: no cap. */
  @IsInt() @Min(0) @Max(1000) MAX_HEAVY_JOBS_PER_CLIENT: number = 2;
  @IsInt() @Min(1024) HEAVY_TEXT_BYTES: number = 256 * 1024;
  /** Requests one client may have open at once on an API process (live streams included); 0: no limit. */
  @IsInt() @Min(0) @Max(100_000) MAX_OPEN_REQUESTS_PER_CLIENT: number = 64;
  @IsInt() @Min(1) @Max(50 * 1024 * 1024) MAX_TEXT_BYTES: number = 2 * 1024 * 1024;

  @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY: number = 50;
  @IsOptional() @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY_PREPROCESS?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY_FEATURES?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY_INFERENCE?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY_POSTPROCESS?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1000) STAGE_CONCURRENCY_ENRICH?: number;
  @IsInt() @Min(1) @Max(64) ANALYSIS_THREADS: number = Math.max(1, cpus().length);
  /** The model of the inference stage: lexicon (offline, on the stage threads) is the one there is. */
  @IsIn(['lexicon'], { message: 'EXPRESSION_MODEL must be lexicon' }) EXPRESSION_MODEL = 'lexicon' as const;
  /** Texts up to this size run their stages on the worker's main thread (0: always on the stage threads). */
  @IsInt() @Min(0) @Max(65536) INLINE_STAGE_MAX_BYTES: number = 4096;

  @IsInt() @Min(0) @Max(100) STAGE_RETRIES: number = 3;
  @IsInt() @Min(0) STAGE_RETRY_DELAY_MS: number = 60_000;
  @IsInt() @Min(10) STAGE_SOFT_TIME_LIMIT_MS: number = 25 * 60_000;
  @IsInt() @Min(10) STAGE_HARD_TIME_LIMIT_MS: number = 30 * 60_000;
  /** Bull's job lock: a worker that dies loses its jobs to another one after about this long. */
  @IsInt() @Min(500) STAGE_LOCK_MS: number = 30_000;
  @IsInt() @Min(100) STAGE_STALLED_CHECK_MS: number = 30_000;
  @IsInt() @Min(0) SHUTDOWN_GRACE_MS: number = 30_000;
  /** Workers look for unfinished records whose queued job is gone this often (0: never). */
  @IsInt() @Min(0) JOB_WATCHDOG_INTERVAL_MS: number = 60_000;
  /** A record unchanged for this long is checked for its job. */
  @IsInt() @Min(1000) JOB_WATCHDOG_GRACE_MS: number = 120_000;

  // Video jobs
  @IsString() OUTPUT_ROOT: string = './data/output';
  @IsString() TEMP_ROOT: string = './data/tmp';
  /** Where the JSON variant of POST /api/v1/videos may take its files from. */
  @IsString() MEDIA_ROOT: string = './data/media';
  @IsInt() @Min(1024) MAX_VIDEO_BYTES: number = 4 * 1024 * 1024 * 1024;
  @IsInt() @Min(1024) MAX_SUBTITLE_BYTES: number = 2 * 1024 * 1024;
  @IsInt() @Min(1) @Max(64) VIDEO_CONCURRENCY: number = 1;
  /** Expressions of one job processed at once (each runs its own ffmpeg). */
  @IsInt() @Min(1) @Max(64) VIDEO_PARALLEL_EXPRESSIONS: number = Math.max(1, cpus().length);
  @IsInt() @Min(0) @Max(100) VIDEO_RETRIES: number = 1;
  @IsInt() @Min(0) VIDEO_RETRY_DELAY_MS: number = 60_000;
  @IsInt() @Min(10) VIDEO_STEP_SOFT_TIME_LIMIT_MS: number = 25 * 60_000;
  @IsInt() @Min(10) VIDEO_STEP_HARD_TIME_LIMIT_MS: number = 30 * 60_000;
  @IsInt() @Min(120) @Max(2160) VIDEO_MAX_HEIGHT: number = 720;
  @IsIn(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'])
  VIDEO_PRESET: string = 'veryfast';
  /** The 1080x1920 shorts are most of the encoding work; a faster preset costs them a little bitrate, not sharpness. */
  @IsIn(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'])
  VIDEO_SHORTS_PRESET: string = 'superfast';
  @IsInt() @Min(0) @Max(51) VIDEO_CRF: number = 21;
  @IsInt() @Min(1) @Max(10) EXPRESSION_REPEAT: number = 2;
  @IsInt() @Min(1000) @Max(60_000) SLIDE_MS: number = 5000;
  /** The context scene: a silence between lines longer than SCENE_BREAK_MS ends it; its length is kept between the two bounds. */
  @IsInt() @Min(0) @Max(60_000) SCENE_BREAK_MS: number = 1500;
  @IsInt() @Min(0) @Max(600_000) SCENE_MIN_MS: number = 8000;
  @IsInt() @Min(1000) @Max(600_000) SCENE_MAX_MS: number = 45_000;
  /** The long-form's title card before each lesson ("3/8 · break the ice"). */
  @IsInt() @Min(0) @Max(10_000) TITLE_CARD_MS: number = 1500;
  /** EBU R128 integrated loudness of every video output (-16 LUFS: what the platforms play mobile video at; -23 for broadcast). */
  @IsNumber() @Min(-40) @Max(-5) LOUDNESS_TARGET_LUFS: number = -16;
  /** A PNG or JPEG drawn at the top right of every short (empty: none). */
  @IsString() LOGO_PATH: string = '';

  // Cleanup (worker processes run the schedule; one at a time across all of them)
  /**
   * An LLM that checks and enriches the analysis and translates it (the enrich stage): none (offline only) or
   * openai, which speaks the OpenAI chat-completions protocol (OpenAI, Gemini's OpenAI-compatible endpoint,
   * Ollama, vLLM, llama.cpp's server).
   */
  @IsIn(['none', 'openai'], { message: 'LLM_PROVIDER must be none or openai' }) LLM_PROVIDER: 'none' | 'openai' = 'none';
  /** The server's base URL, ending in /v1 for most (unset: OpenAI's own). */
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'LLM_BASE_URL must be an http(s) URL such as http://localhost:11434/v1' }) LLM_BASE_URL?: string;
  /** Sent as a bearer token; local servers take any value. Never logged. */
  @IsOptional() @IsString() LLM_API_KEY?: string;
  @IsOptional() @Matches(/^\S{1,200}$/, { message: 'LLM_MODEL must be a model name such as gpt-4o-mini or qwen2.5:7b' }) LLM_MODEL?: string;
  /** Each request's time limit. */
  @IsInt() @Min(1000) LLM_TIMEOUT_MS: number = 60_000;
  /** Retries of a request that failed with 429, 5xx, a timeout or a lost connection (with back-off, honouring Retry-After). */
  @IsInt() @Min(0) @Max(10) LLM_MAX_RETRIES: number = 3;
  /** Requests in flight at once per worker process, all jobs together. */
  @IsInt() @Min(1) @Max(256) LLM_CONCURRENCY: number = 4;
  /** Expressions (or sentences, for the search for missed expressions) per request. */
  @IsInt() @Min(1) @Max(200) LLM_BATCH_SIZE: number = 20;
  /** Tokens one pipeline may spend (in and out); past it the stage stops asking and keeps what it has. */
  @IsInt() @Min(1000) LLM_TOKEN_BUDGET: number = 200_000;
  /** How long answers stay cached in Redis. */
  @IsInt() @Min(0) LLM_CACHE_TTL_SECONDS: number = 30 * 86_400;
  /** true: a pipeline fails when the provider cannot be reached; false: it ends with the offline result and says so. */
  @IsIn(['true', 'false'], { message: 'LLM_REQUIRED must be true or false' }) LLM_REQUIRED: string = 'false';

  @IsIn(['true', 'false'], { message: 'CLEANUP_ENABLED must be true or false' }) CLEANUP_ENABLED: string = 'true';
  @IsString() CLEANUP_CRON: string = '0 2 * * *';
  @Matches(DURATION, { message: 'CLEANUP_TEMP_MAX_AGE must be a duration such as 24h, 90m or 7d' }) CLEANUP_TEMP_MAX_AGE: string = '24h';
  @Matches(DURATION, { message: 'CLEANUP_OUTPUT_MAX_AGE must be a duration such as 7d or 168h' }) CLEANUP_OUTPUT_MAX_AGE: string = '7d';
  /** Clips, slides and per-expression videos may go sooner than the long-form video and the shorts. */
  @Matches(DURATION, { message: 'CLEANUP_INTERMEDIATE_MAX_AGE must be a duration such as 3d' }) CLEANUP_INTERMEDIATE_MAX_AGE: string = '3d';
}

/** Parses "90m", "24h", "7d", "30s" into milliseconds. */
export function durationMs(value: string): number {
  const m = DURATION.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${value}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export type Env = Readonly<EnvSchema>;

/** Parses and validates raw variables; throws one error naming every bad variable. */
export function validateEnv(raw: Record<string, string | undefined>): Env {
  const known = Object.keys(new EnvSchema());
  const present = Object.fromEntries(Object.entries(raw).filter(([key, value]) => value !== undefined && value !== '' && isKnownKey(key, known)));
  const env = plainToInstance(EnvSchema, present, { enableImplicitConversion: true });
  const errors = validateSync(env, { whitelist: false });
  const problems = errors.map((e) => `${e.property}=${JSON.stringify(raw[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  if (env.VIDEO_STEP_HARD_TIME_LIMIT_MS <= env.VIDEO_STEP_SOFT_TIME_LIMIT_MS) {
    problems.push('VIDEO_STEP_HARD_TIME_LIMIT_MS must be greater than VIDEO_STEP_SOFT_TIME_LIMIT_MS');
  }
  if (env.ADMIN_API_KEYS && !env.API_KEYS) problems.push('ADMIN_API_KEYS needs API_KEYS: set API_KEYS too (admin keys are for a service that checks keys)');
  if (!!env.REDIS_SENTINELS !== !!env.REDIS_SENTINEL_NAME) problems.push('REDIS_SENTINELS and REDIS_SENTINEL_NAME go together: set both or neither');
  if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES) problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other: pick one');
  for (const root of ['OUTPUT_ROOT', 'TEMP_ROOT', 'MEDIA_ROOT'] as const) {
    // Absolute from here on: ffmpeg resolves relative paths in its list files against the list's own folder.
    env[root] = resolve(env[root]);
    if (env[root] === '/') problems.push(`${root} must not be the file system's root`);
  }
  if (env.SCENE_MAX_MS < env.SCENE_MIN_MS) problems.push(`SCENE_MAX_MS (${env.SCENE_MAX_MS}) must be at least SCENE_MIN_MS (${env.SCENE_MIN_MS})`);
  if (env.LOGO_PATH) {
    env.LOGO_PATH = resolve(env.LOGO_PATH);
    if (!existsSync(env.LOGO_PATH)) problems.push(`LOGO_PATH: no file at "${raw.LOGO_PATH}" (a PNG or JPEG, or leave it empty)`);
  }
  try {
    new CronTime(env.CLEANUP_CRON);
  } catch {
    problems.push(`CLEANUP_CRON="${env.CLEANUP_CRON}" is not a cron expression (for example "0 2 * * *")`);
  }
  if (env.LLM_PROVIDER === 'openai' && !env.LLM_MODEL)
    problems.push('LLM_PROVIDER=openai needs LLM_MODEL (for example gpt-4o-mini, or the model your server runs)');
  if (env.LLM_PROVIDER === 'openai' && !env.LLM_BASE_URL && !env.LLM_API_KEY) {
    problems.push("LLM_PROVIDER=openai needs LLM_API_KEY for OpenAI's own API, or LLM_BASE_URL for another server");
  }
  if (env.STAGE_HARD_TIME_LIMIT_MS <= env.STAGE_SOFT_TIME_LIMIT_MS) {
    problems.push('STAGE_HARD_TIME_LIMIT_MS must be greater than STAGE_SOFT_TIME_LIMIT_MS');
  }
  if (problems.length) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return env;
}

function isKnownKey(key: string, known: string[]): boolean {
  return known.includes(key) || key.startsWith('STAGE_CONCURRENCY_');
}
