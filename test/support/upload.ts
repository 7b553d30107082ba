import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** POSTs a multipart form the way a browser would; files are streamed from disk. */
export async function uploadForm(url: string, files: Record<string, string>, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, path] of Object.entries(files)) form.append(k, await openAsBlob(path), basename(path));
  const res = await fetch(url, { method: 'POST', body: form });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}
