// localStorage that tolerates being unavailable (private mode, blocked or full storage): settings then simply are
// not remembered.

/** The stored string, or null. */
export function readStorage(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores a string; silently does nothing where storage is unavailable. */
export function writeStorage(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage full or blocked.
  }
}
