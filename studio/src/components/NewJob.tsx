import { ErrorLine } from './ErrorLine';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, messageOf } from '../api';
import { bytes, languageList } from '../format';

const LEVELS = ['mixed', 'beginner', 'intermediate', 'advanced'];

/** What both kinds of job take: how many expressions, which level, which learners' languages. */
function CommonFields({ prefix, max, setMax, level, setLevel, languages, setLanguages }: any) {
  return (
    <div class="fields">
      <div class="field">
        <label for={`${prefix}-max`}>Max expressions</label>
        <input id={`${prefix}-max`} type="number" min={1} max={50} value={max} onInput={(e) => setMax(Number(e.currentTarget.value))} required />
      </div>
      <div class="field">
        <label for={`${prefix}-level`}>Level</label>
        <select id={`${prefix}-level`} value={level} onChange={(e) => setLevel(e.currentTarget.value)}>
          {LEVELS.map((l) => (
            <option value={l}>{l}</option>
          ))}
        </select>
      </div>
      <div class="field wide">
        <label for={`${prefix}-langs`}>Target languages</label>
        <input
          id={`${prefix}-langs`}
          value={languages}
          placeholder="ko, es"
          aria-describedby={`${prefix}-langs-hint`}
          onInput={(e) => setLanguages(e.currentTarget.value)}
        />
        <small id={`${prefix}-langs-hint`}>Learners' languages as codes (ko, es, pt-BR), separated by commas; empty for none. Needs an LLM provider.</small>
      </div>
    </div>
  );
}

/** A new job: an episode (video + subtitles) to cut lessons from, or subtitles alone to analyse. */
export function NewJob({ api }: { api: Api }) {
  const [mode, setMode] = useState<'episode' | 'subtitles'>('episode');
  const [video, setVideo] = useState<File | null>(null);
  const [subtitles, setSubtitles] = useState<File | null>(null);
  const [showName, setShowName] = useState('');
  const [episodeName, setEpisodeName] = useState('');
  const [max, setMax] = useState(10);
  const [level, setLevel] = useState('mixed');
  const [languages, setLanguages] = useState('');
  const [review, setReview] = useState(true);
  const [shorts, setShorts] = useState(true);
  const [longForm, setLongForm] = useState(true);
  const [text, setText] = useState('');
  const [dragging, setDragging] = useState(false);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = useRef<AbortController | null>(null);

  // Leaving the page would cut the upload off: the browser asks first.
  useEffect(() => {
    if (!sent) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [sent !== null]);
  // Leaving the form (another page of the studio) cancels an upload under way.
  useEffect(() => () => upload.current?.abort(), []);

  const fail = (err: unknown) => {
    setError(messageOf(err));
    setBusy(false);
    setSent(null);
  };

  const submitEpisode = async () => {
    if (!video || !subtitles) return setError('Choose both files: the episode video and its subtitles (SRT or WebVTT).');
    const form = new FormData();
    form.append('showName', showName.trim() || 'show');
    form.append('episodeName', episodeName.trim() || 'episode');
    form.append('maxExpressions', String(max));
    form.append('level', level);
    form.append('review', String(review));
    form.append('shorts', String(shorts));
    form.append('longForm', String(longForm));
    for (const l of languageList(languages)) form.append('targetLanguages', l);
    form.append('video', video);
    form.append('subtitles', subtitles);
    setSent({ sent: 0, total: video.size + subtitles.size });
    upload.current = new AbortController();
    const job = await api.upload(form, (s, total) => setSent({ sent: s, total }), upload.current.signal);
    upload.current = null;
    setSent(null);
    location.hash = `#/jobs/video/${job.id}`;
  };

  const submitText = async () => {
    if (!text.trim()) return setError('Paste subtitles (SRT, WebVTT or ASS) or plain English text, or drop a subtitle file on the box.');
    const job = await api.analyse({ text, maxExpressions: max, level, targetLanguages: languageList(languages) });
    location.hash = `#/jobs/pipeline/${job.id}`;
  };

  const onSubmit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    (mode === 'episode' ? submitEpisode() : submitText()).then(() => setBusy(false), fail);
  };

  const readDropped = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) return setError(`${file.name} is ${bytes(file.size)}: a subtitle file is far smaller. Drop the .srt or .vtt file.`);
    setText(await file.text());
  };

  return (
    <section class="card" aria-labelledby="new-title">
      <h1 id="new-title">New job</h1>
      <div class="tabs" role="radiogroup" aria-label="What to send">
        <label class={mode === 'episode' ? 'on' : ''}>
          <input type="radio" name="mode" checked={mode === 'episode'} onChange={() => setMode('episode')} /> Episode: video + subtitles → lessons
        </label>
        <label class={mode === 'subtitles' ? 'on' : ''}>
          <input type="radio" name="mode" checked={mode === 'subtitles'} onChange={() => setMode('subtitles')} /> Subtitles only → expressions
        </label>
      </div>
      <form onSubmit={onSubmit}>
        {mode === 'episode' ? (
          <>
            <div class="fields">
              <div class="field wide">
                <label for="video-file">Episode video</label>
                <input id="video-file" type="file" accept="video/*,.mkv,.mp4,.mov,.webm" onChange={(e) => setVideo(e.currentTarget.files?.[0] ?? null)} />
              </div>
              <div class="field wide">
                <label for="subtitles-file">Subtitles (SRT or WebVTT)</label>
                <input
                  id="subtitles-file"
                  type="file"
                  accept=".srt,.vtt,text/vtt,application/x-subrip"
                  onChange={(e) => setSubtitles(e.currentTarget.files?.[0] ?? null)}
                />
              </div>
              <div class="field">
                <label for="show-name">Show name</label>
                <input id="show-name" value={showName} placeholder="The Bakery" maxLength={120} onInput={(e) => setShowName(e.currentTarget.value)} />
              </div>
              <div class="field">
                <label for="episode-name">Episode</label>
                <input id="episode-name" value={episodeName} placeholder="S01E01" maxLength={120} onInput={(e) => setEpisodeName(e.currentTarget.value)} />
              </div>
            </div>
            <CommonFields prefix="video" {...{ max, setMax, level, setLevel, languages, setLanguages }} />
            <fieldset class="checks">
              <legend>Options</legend>
              <label>
                <input type="checkbox" checked={review} onChange={(e) => setReview(e.currentTarget.checked)} /> Let me review the expressions before rendering
              </label>
              <label>
                <input type="checkbox" checked={longForm} onChange={(e) => setLongForm(e.currentTarget.checked)} /> Long-form video
              </label>
              <label>
                <input type="checkbox" checked={shorts} onChange={(e) => setShorts(e.currentTarget.checked)} /> Vertical shorts
              </label>
            </fieldset>
          </>
        ) : (
          <>
            <label for="subtitle-text">Subtitles or text</label>
            <textarea
              id="subtitle-text"
              class={dragging ? 'drop on' : 'drop'}
              rows={8}
              value={text}
              placeholder="Paste an SRT / WebVTT file, or drop one here"
              onInput={(e) => setText(e.currentTarget.value)}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                void readDropped(e.dataTransfer?.files[0]);
              }}
            />
            <label for="subtitle-pick" class="inline">
              or choose a file:
            </label>{' '}
            <input id="subtitle-pick" type="file" accept=".srt,.vtt,.ass,.txt" onChange={(e) => void readDropped(e.currentTarget.files?.[0])} />
            <CommonFields prefix="text" {...{ max, setMax, level, setLevel, languages, setLanguages }} />
          </>
        )}
        {sent && (
          <div class="upload">
            <label for="upload-progress">
              {sent.sent < sent.total
                ? `Uploading ${Math.round((100 * sent.sent) / Math.max(1, sent.total))}%`
                : 'Uploaded: the service is checking the files…'}
            </label>
            <progress id="upload-progress" max={sent.total} value={sent.sent}>
              {bytes(sent.sent)}
            </progress>
            <div class="row">
              <small>
                {bytes(sent.sent)} of {bytes(sent.total)}
              </small>
              <button type="button" onClick={() => upload.current?.abort()}>
                Cancel upload
              </button>
            </div>
          </div>
        )}
        <ErrorLine message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {mode === 'episode' ? (busy ? 'Uploading…' : 'Upload and start') : busy ? 'Sending…' : 'Find expressions'}
        </button>
      </form>
    </section>
  );
}
