import { ErrorLine } from './ErrorLine';
import { useState } from 'preact/hooks';

/** The API key, asked once and kept for this tab. */
export function KeyForm({ error, onKey }: { error: string | null; onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  return (
    <section class="card narrow" aria-labelledby="key-title">
      <h1 id="key-title">Enter your API key</h1>
      <p>This service checks API keys. Ask its operator for one; it is kept in this tab only, until you close it.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onKey(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
        <ErrorLine message={error} />
        <button type="submit" class="primary">
          Continue
        </button>
      </form>
    </section>
  );
}
