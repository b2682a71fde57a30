// Saves a Blob as a file through a temporary link (the page's own blob: URL; nothing leaves the origin).

/** Starts a download of `blob` named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The click has handed the URL to the download by the next task; then free it.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A unique id for a stored run; randomUUID needs a secure context, so fall back to time + random. */
export function newRunId(nowMs: number): string {
  return globalThis.crypto?.randomUUID?.() ?? `${nowMs.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
