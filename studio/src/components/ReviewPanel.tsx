import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { clock } from '../format';
import { chosenUse, move, pickUse, renderRequest, startReview, usesOf, type ReviewItem } from '../review';
import type { Job } from '../types';

/** Seconds of the source played before and after the line. */
const AROUND_S = 1.5;

/** The expressions of a job waiting for review: keep or drop, edit, pick another line, listen, then render. */
export function ReviewPanel({ api, job, onRendering }: { api: Api; job: Job; onRendering: (job: Job) => void }) {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const player = useRef<HTMLVideoElement>(null);
  const stopAt = useRef<number | null>(null);

  useEffect(() => {
    api.expressions(job.id).then(
      (list) => setItems(startReview(list)),
      (err: unknown) => setError(err instanceof ApiError ? err.message : String(err)),
    );
    api.sourceLink(job.id).then(
      (l) => setSource(l.url),
      () => setSource(null),
    );
  }, [job.id]);

  if (!items)
    return (
      <section class="card">
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p role="status">Loading the expressions…</p>
        )}
      </section>
    );

  const update = (i: number, change: Partial<ReviewItem> | ((it: ReviewItem) => ReviewItem)) =>
    setItems((list) => list!.map((it, k) => (k !== i ? it : typeof change === 'function' ? change(it) : { ...it, ...change })));

  const play = (item: ReviewItem) => {
    const v = player.current;
    const use = chosenUse(item);
    if (!v || use.startMs === null) return;
    v.currentTime = Math.max(0, use.startMs / 1000 - AROUND_S);
    stopAt.current = (use.endMs ?? use.startMs + 3000) / 1000 + AROUND_S;
    void v.play();
  };

  const kept = items.filter((i) => i.keep).length;
  const render = () => {
    setBusy(true);
    setError(null);
    api.render(job.id, renderRequest(items)).then(
      (j) => onRendering(j),
      (err: unknown) => {
        setError(err instanceof ApiError ? err.message : String(err));
        setBusy(false);
      },
    );
  };

  return (
    <section class="card" aria-labelledby="review-title">
      <h2 id="review-title">Review the expressions</h2>
      <p>
        Keep the ones worth a lesson, fix a definition or translation, pick another line where the expression is used, and put them in the order to teach.
        Nothing is rendered until you press Render.
      </p>
      {source && (
        <div class="source">
          <video
            ref={player}
            src={source}
            controls
            preload="metadata"
            aria-label="The episode, to hear each line"
            onTimeUpdate={(e) => {
              if (stopAt.current !== null && e.currentTarget.currentTime >= stopAt.current) {
                e.currentTarget.pause();
                stopAt.current = null;
              }
            }}
          />
        </div>
      )}
      <ol class="review">
        {items.map((item, i) => {
          const e = item.source;
          const use = chosenUse(item);
          const uses = usesOf(e);
          const id = `r${i}`;
          return (
            <li key={e.expression} class={item.keep ? 'review-item' : 'review-item dropped'} data-expression={e.expression}>
              <div class="expr-head">
                <label class="keep">
                  <input type="checkbox" checked={item.keep} onChange={(ev) => update(i, { keep: ev.currentTarget.checked })} />
                  <span class="sr-only">Keep </span>
                  <strong class="expr">{e.expression}</strong>
                </label>
                <span class="tag">{e.category.replace('_', ' ')}</span>
                <span class="tag">{e.difficulty}</span>
                <span class="order">
                  <button type="button" aria-label={`Move ${e.expression} up`} disabled={i === 0} onClick={() => setItems(move(items, i, -1))}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move ${e.expression} down`} disabled={i === items.length - 1} onClick={() => setItems(move(items, i, 1))}>
                    ↓
                  </button>
                </span>
              </div>
              <blockquote>
                “{use.example}” <span class="muted">{`${clock(use.startMs)}–${clock(use.endMs)}`}</span>
              </blockquote>
              <div class="row">
                {source && use.startMs !== null && (
                  <button type="button" onClick={() => play(item)} aria-label={`Play the line of ${e.expression}`}>
                    ▶ Play the line
                  </button>
                )}
                {uses.length > 1 && (
                  <span class="field inline">
                    <label for={`${id}-use`}>Line</label>
                    <select id={`${id}-use`} value={String(item.startMs)} onChange={(ev) => update(i, (it) => pickUse(it, Number(ev.currentTarget.value)))}>
                      {uses.map((u) => (
                        <option value={String(u.startMs)}>
                          {clock(u.startMs)} “{u.example.length > 60 ? `${u.example.slice(0, 57)}…` : u.example}”
                        </option>
                      ))}
                    </select>
                  </span>
                )}
              </div>
              <label for={`${id}-def`}>Definition</label>
              <textarea id={`${id}-def`} rows={2} value={item.definition} onInput={(ev) => update(i, { definition: ev.currentTarget.value })} />
              {Object.entries(item.translations).map(([lang, t]) => (
                <fieldset class="translation" key={lang}>
                  <legend>Translation ({lang})</legend>
                  <label for={`${id}-${lang}-expr`}>Expression</label>
                  <input
                    id={`${id}-${lang}-expr`}
                    lang={lang}
                    value={t.expression}
                    onInput={(ev) => update(i, (it) => ({ ...it, translations: { ...it.translations, [lang]: { ...t, expression: ev.currentTarget.value } } }))}
                  />
                  <label for={`${id}-${lang}-def`}>Definition</label>
                  <textarea
                    id={`${id}-${lang}-def`}
                    lang={lang}
                    rows={2}
                    value={t.definition}
                    onInput={(ev) => update(i, (it) => ({ ...it, translations: { ...it.translations, [lang]: { ...t, definition: ev.currentTarget.value } } }))}
                  />
                </fieldset>
              ))}
            </li>
          );
        })}
      </ol>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || kept === 0} onClick={render}>
          {busy ? 'Starting…' : `Render ${kept} lesson${kept === 1 ? '' : 's'}`}
        </button>
        {kept === 0 && <span class="muted">Keep at least one expression.</span>}
      </div>
    </section>
  );
}
