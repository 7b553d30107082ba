import { ErrorLine } from './ErrorLine';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Api, messageOf } from '../api';
import { clock } from '../format';
import { useLinkRefresh } from '../links';
import {
  chosenUse,
  MAX_DEFINITION,
  MAX_TRANSLATED_EXPRESSION,
  move,
  pickUse,
  problems,
  renderRequest,
  startReview,
  translationsNeedCheck,
  usesOf,
  type ReviewItem,
} from '../review';
import type { Job } from '../types';

/** Seconds of the source played before and after the line. */
const AROUND_S = 1.5;

/** A use's start as an option value ("" for a line without times). */
const optionOf = (ms: number | null) => (ms === null ? '' : String(ms));

/** The expressions of a job waiting for review: keep or drop, edit, pick another line, listen, then render. */
export function ReviewPanel({ api, job, onRendering }: { api: Api; job: Job; onRendering: (job: Job) => void }) {
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [source, setSource] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState(false);
  const player = useRef<HTMLVideoElement>(null);
  const stopAt = useRef<number | null>(null);

  const linkSource = () => {
    api.sourceLink(job.id).then(setSource, (err: unknown) => setError(`The episode cannot be played here: ${messageOf(err)} The review itself still works.`));
  };
  useEffect(() => {
    api.expressions(job.id).then(
      (list) => setItems(startReview(list)),
      (err: unknown) => setError(messageOf(err)),
    );
    linkSource();
  }, [job.id]);
  useLinkRefresh([source?.expiresAt], linkSource);

  if (!items) return <section class="card">{error ? <ErrorLine message={error} /> : <p role="status">Loading the expressions…</p>}</section>;

  const update = (i: number, change: (it: ReviewItem) => ReviewItem) => setItems((list) => list!.map((it, k) => (k === i ? change(it) : it)));
  const editTranslation = (i: number, lang: string, field: 'expression' | 'definition', value: string) =>
    update(i, (it) => ({ ...it, translations: { ...it.translations, [lang]: { ...it.translations[lang], [field]: value } } }));

  /** Moves an item, keeps the keyboard on it and says where it went. */
  const reorder = (i: number, by: number) => {
    const name = items[i].source.expression;
    setItems((list) => move(list!, i, by));
    const to = i + by;
    setSaid(`${name} moved to ${to + 1} of ${items.length}`);
    requestAnimationFrame(() => {
      const first = to === 0;
      const last = to === items.length - 1;
      // The arrow pressed is disabled at either end: the keyboard goes to the other one.
      const dir = (by < 0 && !first) || (by > 0 && last) ? 'up' : 'down';
      document.getElementById(`move-${dir}-${to}`)?.focus();
    });
  };

  const play = (item: ReviewItem) => {
    const v = player.current;
    const use = chosenUse(item);
    if (!v || use.startMs === null) return;
    v.currentTime = Math.max(0, use.startMs / 1000 - AROUND_S);
    stopAt.current = (use.endMs ?? use.startMs + 3000) / 1000 + AROUND_S;
    v.scrollIntoView({ block: 'nearest' });
    v.play().catch((err: Error) => setError(`The episode could not be played (${err.message}). Try again, or reload the page.`));
  };

  const kept = items.filter((i) => i.keep).length;
  const blocking = problems(items);
  const render = () => {
    setBusy(true);
    setError(null);
    api.render(job.id, renderRequest(items)).then(
      (j) => onRendering(j),
      (err: unknown) => {
        setError(messageOf(err));
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
      <p class="sr-only" role="status">
        {said}
      </p>
      {source && (
        <div class="source">
          <video
            ref={player}
            src={source.url}
            controls
            preload="metadata"
            playsInline
            aria-label="The episode, to hear each line"
            onError={() => {
              // An expired link is renewed; any other failure is the file's format (MKV, HEVC…), which this browser cannot play.
              if (Date.parse(source.expiresAt) - Date.now() < 60_000) linkSource();
              else setError('This browser cannot play the episode (its format or codec). The review works without it; the lessons are cut all the same.');
            }}
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
          const of = <span class="sr-only"> of {e.expression}</span>;
          return (
            <li key={e.expression} class={item.keep ? 'review-item' : 'review-item dropped'} data-expression={e.expression}>
              <div class="expr-head">
                <label class="keep">
                  <input type="checkbox" checked={item.keep} onChange={(ev) => update(i, (it) => ({ ...it, keep: ev.currentTarget.checked }))} />
                  <span class="sr-only">Keep </span>
                  <strong class="expr">{e.expression}</strong>
                </label>
                <span class="tag">{e.category.replace('_', ' ')}</span>
                <span class="tag">{e.difficulty}</span>
                <span class="order">
                  <button type="button" id={`move-up-${i}`} aria-label={`Move ${e.expression} up`} disabled={i === 0} onClick={() => reorder(i, -1)}>
                    ↑
                  </button>
                  <button
                    type="button"
                    id={`move-down-${i}`}
                    aria-label={`Move ${e.expression} down`}
                    disabled={i === items.length - 1}
                    onClick={() => reorder(i, 1)}
                  >
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
                    <label for={`${id}-use`}>Line{of}</label>
                    <select
                      id={`${id}-use`}
                      value={optionOf(item.startMs)}
                      onChange={(ev) => {
                        const v = ev.currentTarget.value;
                        update(i, (it) => pickUse(it, v === '' ? null : Number(v)));
                      }}
                    >
                      {uses.map((u) => (
                        <option value={optionOf(u.startMs)}>
                          {clock(u.startMs)} “{u.example.length > 60 ? `${u.example.slice(0, 57)}…` : u.example}”
                        </option>
                      ))}
                    </select>
                  </span>
                )}
              </div>
              <label for={`${id}-def`}>Definition{of}</label>
              <textarea
                id={`${id}-def`}
                rows={2}
                maxLength={MAX_DEFINITION}
                value={item.definition}
                onInput={(ev) => {
                  const v = ev.currentTarget.value;
                  update(i, (it) => ({ ...it, definition: v }));
                }}
              />
              {translationsNeedCheck(item) && <p class="notice">The translations were written for the first line: check that they fit this one.</p>}
              {Object.entries(item.translations).map(([lang, t]) => (
                <fieldset class="translation" key={lang}>
                  <legend>
                    Translation ({lang}){of}
                  </legend>
                  <label for={`${id}-${lang}-expr`}>Expression</label>
                  <input
                    id={`${id}-${lang}-expr`}
                    lang={lang}
                    maxLength={MAX_TRANSLATED_EXPRESSION}
                    value={t.expression}
                    onInput={(ev) => editTranslation(i, lang, 'expression', ev.currentTarget.value)}
                  />
                  <label for={`${id}-${lang}-def`}>Definition</label>
                  <textarea
                    id={`${id}-${lang}-def`}
                    lang={lang}
                    rows={2}
                    maxLength={MAX_DEFINITION}
                    value={t.definition}
                    onInput={(ev) => editTranslation(i, lang, 'definition', ev.currentTarget.value)}
                  />
                </fieldset>
              ))}
            </li>
          );
        })}
      </ol>
      <ErrorLine message={error} />
      {blocking.length > 0 && (
        <ul class="notice" aria-live="polite">
          {blocking.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || blocking.length > 0} onClick={render}>
          {busy ? 'Starting…' : `Render ${kept} lesson${kept === 1 ? '' : 's'}`}
        </button>
      </div>
    </section>
  );
}
