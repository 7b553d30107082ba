import { ErrorLine } from './ErrorLine';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, messageOf } from '../api';
import { bytes, fileName, languageOf } from '../format';
import { useLinkRefresh } from '../links';
import type { Job, OutputFile } from '../types';

const isVideo = (f: OutputFile) => f.path.endsWith('.mp4');

function Download({ file }: { file: OutputFile }) {
  return (
    <a class="download" href={file.url} download={fileName(file.path)}>
      Download <span class="sr-only">{fileName(file.path)}</span> ({bytes(file.size)})
    </a>
  );
}

function VideoCard({ file, vertical, onBroken }: { file: OutputFile; vertical?: boolean; onBroken: () => void }) {
  const lang = languageOf(file.path);
  return (
    <figure class={vertical ? 'video vertical' : 'video'} data-kind={file.kind}>
      <video src={file.url} controls preload="metadata" playsInline aria-label={fileName(file.path)} onError={onBroken} />
      <figcaption>
        <span>{fileName(file.path)}</span>
        {lang && <span class="tag">{lang}</span>}
        {file.durationSec !== null && <span class="muted">{file.durationSec.toFixed(1)} s</span>}
        <Download file={file} />
      </figcaption>
    </figure>
  );
}

/** What a finished job made: the long-form, the shorts, one learning video per expression, the slides, every file. */
export function Results({ api, job }: { api: Api; job: Job }) {
  const [files, setFiles] = useState<OutputFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    api.files(job.id).then(
      (list) => {
        setFiles(list);
        setError(null);
      },
      (err: unknown) => setError(messageOf(err)),
    );
  };
  useEffect(load, [job.id]);
  useLinkRefresh(files?.map((f) => f.expiresAt) ?? [], load);
  // A player that cannot load its file: most likely its link expired (a tab left open, a machine asleep).
  const lastReload = useRef(0);
  const onBroken = () => {
    if (Date.now() - lastReload.current < 30_000) return;
    lastReload.current = Date.now();
    load();
  };

  if (error)
    return (
      <section class="card">
        <ErrorLine message={error} />
      </section>
    );
  if (!files) return <p role="status">Loading the results…</p>;

  const of = (kind: string) => files.filter((f) => f.kind === kind);
  const long = of('long').filter(isVideo);
  const shorts = of('shorts').filter(isVideo);
  const lessons = of('expressions').filter(isVideo);
  const slides = of('slides').filter((f) => f.path.endsWith('.png'));
  return (
    <>
      {long.length > 0 && (
        <section class="card" aria-labelledby="long-title">
          <h2 id="long-title">Long-form video</h2>
          {long.map((f) => (
            <VideoCard key={f.path} file={f} onBroken={onBroken} />
          ))}
        </section>
      )}
      {shorts.length > 0 && (
        <section class="card" aria-labelledby="shorts-title">
          <h2 id="shorts-title">Shorts ({shorts.length})</h2>
          <div class="grid shorts">
            {shorts.map((f) => (
              <VideoCard key={f.path} file={f} vertical onBroken={onBroken} />
            ))}
          </div>
        </section>
      )}
      {lessons.length > 0 && (
        <section class="card" aria-labelledby="lessons-title">
          <h2 id="lessons-title">Learning videos ({lessons.length})</h2>
          <div class="grid">
            {lessons.map((f) => (
              <VideoCard key={f.path} file={f} onBroken={onBroken} />
            ))}
          </div>
        </section>
      )}
      {slides.length > 0 && (
        <section class="card" aria-labelledby="slides-title">
          <h2 id="slides-title">Slides ({slides.length})</h2>
          <div class="grid">
            {slides.map((f) => (
              <figure key={f.path} class="slide">
                <img src={f.url} alt={`Slide ${fileName(f.path)}`} loading="lazy" />
                <figcaption>
                  <span>{fileName(f.path)}</span>
                  <Download file={f} />
                </figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}
      {job.result && (
        <section class="card" aria-labelledby="taught-title">
          <h2 id="taught-title">Expressions taught ({job.result.expressions.length})</h2>
          <ol class="taught">
            {job.result.expressions.map((e) => (
              <li key={e.expression}>
                <strong>{e.expression}</strong>: {e.definition}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section class="card" aria-labelledby="files-title">
        <h2 id="files-title">All files ({files.length})</h2>
        <table class="files">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span class="sr-only">Download</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path}>
                <td class="path">{f.path}</td>
                <td>{f.kind}</td>
                <td>{bytes(f.size)}</td>
                <td>
                  <a href={f.url} download={fileName(f.path)}>
                    Download<span class="sr-only"> {fileName(f.path)}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
