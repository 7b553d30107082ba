import { describe, expect, it } from 'vitest';
import { mediaError, redactPaths } from './media.repository';
import { parseProbe } from './probe';

describe('parseProbe', () => {
  it('reads duration, picture, frame rate and audio layout', () => {
    const json = JSON.stringify({
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 854, height: 480, avg_frame_rate: '24/1' },
        { codec_type: 'audio', codec_name: 'aac', channels: 6, channel_layout: '5.1', sample_rate: '48000' },
      ],
      format: { duration: '30.000000', format_name: 'mov,mp4' },
    });
    expect(parseProbe(json)).toEqual({
      durationMs: 30000,
      width: 854,
      height: 480,
      fps: 24,
      videoCodec: 'h264',
      formatName: 'mov,mp4',
      audio: { codec: 'aac', channels: 6, layout: '5.1', sampleRate: 48000 },
    });
  });

  it('refuses audio-only files and cover art', () => {
    expect(() => parseProbe(JSON.stringify({ streams: [{ codec_type: 'audio' }], format: { duration: '3' } }))).toThrow(/no video stream/);
    expect(() =>
      parseProbe(JSON.stringify({ streams: [{ codec_type: 'video', width: 1, height: 1, disposition: { attached_pic: 1 } }], format: { duration: '3' } })),
    ).toThrow(/no video stream/);
  });

  it('tells a full disk and a broken file apart from other ffmpeg failures', () => {
    expect(mediaError('x\nav_interleaved_write_frame(): No space left on device\n', 'exit code 1').code).toBe('DISK_FULL');
    expect(mediaError('moov atom not found\n', 'exit code 1').code).toBe('INVALID_MEDIA');
    expect(mediaError('something odd\n', 'exit code 1')).toMatchObject({ code: 'MEDIA_TOOL_FAILED', message: 'ffmpeg failed (exit code 1): something odd' });
  });
});

describe('redactPaths', () => {
  it('leaves the server out of messages shown to users', () => {
    expect(mediaError('/srv/data/tmp/3f1c/upload/video: Invalid data found when processing input', 'exit code 1').message).toBe(
      'the media cannot be read (corrupt or truncated?): <video>: Invalid data found when processing input',
    );
    expect(redactPaths('fine words 1/2 and a/b stay')).toBe('fine words 1/2 and a/b stay');
  });
});
