import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { parseJson } from './http';

/** POSTs a multipart form the way a browser would; files are streamed from disk. */
export async function uploadForm(url: string, files: Record<string, string>, fields: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, path] of Object.entries(files)) form.append(k, await openAsBlob(path), basename(path));
  const res = await fetch(url, { method: 'POST', body: form, headers });
  return { status: res.status, body: parseJson(await res.text()) };
}
