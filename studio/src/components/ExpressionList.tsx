import { clock } from '../format';
import type { Expression } from '../types';

/** Expressions as a teacher reads them: the phrase, its sense in that line, the line, its level and translations. */
export function ExpressionList({ expressions }: { expressions: Expression[] }) {
  return (
    <ol class="expressions">
      {expressions.map((e) => (
        <li key={e.expression} class="expression">
          <div class="expr-head">
            <strong class="expr">{e.expression}</strong>
            <span class="tag">{e.category.replace('_', ' ')}</span>
            <span class="tag">{e.difficulty}</span>
            {e.startMs !== null && <span class="muted">{clock(e.startMs)}</span>}
          </div>
          <p>{e.definition}</p>
          <blockquote>“{e.example}”</blockquote>
          {e.translations && (
            <dl class="translations">
              {Object.entries(e.translations).map(([lang, t]) => (
                <>
                  <dt>{lang}</dt>
                  <dd lang={lang}>
                    <strong>{t.expression}</strong>: {t.definition}
                  </dd>
                </>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}
