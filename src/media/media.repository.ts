import { Injectable } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { ErrorCode, PipelineError, redactPaths } from '../common/errors';

export { redactPaths };
import { RunOptions, VideoInfo } from './media.types';
import { parseProbe } from './probe';
import { Loudness, loudnessArgs, parseLoudness } from './loudness';

const STDERR_KEEP = 8192;
/** After "q", ffmpeg gets this long to write its trailer before SIGTERM. */
const SOFT_STOP_GRACE_MS = 5000;
const PROBE_TIMEOUT_MS = 60_000;

/** Classifies what ffmpeg said on stderr into an error a user can act on (server paths left out). */
export function mediaError(rawStderr: string, exit: string): PipelineError {
  const stderr = redactPaths(rawStderr);
  const lines = stderr
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.slice(-3).join(' | ').slice(0, 400) || exit;
  if (/No space left on device/i.test(stderr)) return new PipelineError(ErrorCode.DiskFull, `the disk is full: ${last}`);
  if (
    /Invalid data found|moov atom not found|could not find codec parameters|Error while decoding|corrupt|truncat|End of file|does not contain any stream/i.test(
      stderr,
    )
  ) {
    return new PipelineError(ErrorCode.InvalidMedia, `the media cannot be read (corrupt or truncated?): ${last}`);
  }
  return new PipelineError(ErrorCode.MediaToolFailed, `ffmpeg failed (${exit}): ${last}`);
}

/**
 * ffmpeg and ffprobe behind one class. Each run is its own process group, so that a hard limit or a cancel
 * kills everything it started; a run settles only once its process has exited.
 */
@Injectable()
export class MediaRepository {
  private readonly running = new Set<ChildProcess>();

  async probe(path: string, signal?: AbortSignal): Promise<VideoInfo> {
    const { stdout } = await this.exec('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], {
      signal,
      softTimeLimitMs: PROBE_TIMEOUT_MS,
      hardTimeLimitMs: PROBE_TIMEOUT_MS + 5000,
    });
    return parseProbe(stdout);
  }

  /** Runs ffmpeg with the given arguments (inputs, filters, outputs); progress is read from `-progress`. */
  async ffmpeg(args: string[], options: RunOptions): Promise<void> {
    await this.exec('ffmpeg', ['-hide_banner', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-y', ...args], options);
  }

  /** EBU R128 integrated loudness and true peak of a file's sound (ffmpeg's ebur128 filter). */
  async loudness(path: string, options: RunOptions): Promise<Loudness> {
    const { stderr } = await this.exec('ffmpeg', ['-hide_banner', '-loglevel', 'info', ...loudnessArgs(path)], options);
    return parseLoudness(stderr);
  }

  /** Kills every process still running (shutdown). */
  killAll(): void {
    for (const child of this.running) killGroup(child, 'SIGKILL');
  }

  private exec(command: string, args: string[], options: RunOptions): Promise<{ stdout: string; stderr: string }> {
    if (options.signal?.aborted) return Promise.reject(new PipelineError(ErrorCode.Cancelled, 'cancelled'));
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      this.running.add(child);
      let stdout = '';
      let stderr = '';
      let stoppedFor: PipelineError | null = null;
      const timers: NodeJS.Timeout[] = [];
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (command === 'ffprobe') stdout += chunk;
        else if (options.onProgress && options.durationMs) {
          const m = /out_time_us=(\d+)/g.exec(chunk);
          if (m) options.onProgress(Math.min(1, Number(m[1]) / 1000 / options.durationMs));
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
      child.stdin.on('error', () => undefined); // a process that already left closes its stdin
      const onAbort = () => {
        stoppedFor ??= new PipelineError(ErrorCode.Cancelled, 'cancelled');
        killGroup(child, 'SIGKILL');
      };
      options.signal?.addEventListener('abort', onAbort);
      timers.push(
        setTimeout(() => {
          stoppedFor ??= new PipelineError(
            ErrorCode.SoftTimeLimit,
            `soft time limit exceeded: ${command} was asked to stop after ${options.softTimeLimitMs} ms`,
          );
          child.stdin.end('q');
          timers.push(setTimeout(() => killGroup(child, 'SIGTERM'), SOFT_STOP_GRACE_MS));
        }, options.softTimeLimitMs),
        setTimeout(() => {
          stoppedFor = new PipelineError(ErrorCode.HardTimeLimit, `hard time limit exceeded: ${command} ran for ${options.hardTimeLimitMs} ms and was killed`);
          killGroup(child, 'SIGKILL');
        }, options.hardTimeLimitMs),
      );
      child.on('error', (err) => {
        stoppedFor ??= new PipelineError(ErrorCode.MediaToolFailed, `${command} could not be started: ${err.message} (is ffmpeg installed?)`);
      });
      child.on('close', (code, signal) => {
        this.running.delete(child);
        timers.forEach(clearTimeout);
        options.signal?.removeEventListener('abort', onAbort);
        if (stoppedFor) return reject(stoppedFor);
        if (code === 0) return resolve({ stdout, stderr });
        reject(mediaError(stderr, signal ? `killed by ${signal}` : `exit code ${code}`));
      });
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
