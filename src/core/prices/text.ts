// Text from a user's file shown in a message: bounded in length and free of control characters, so that a binary
// or damaged file cannot flood a terminal or a page with raw bytes.

/** Longest quoted cell value shown in a message. */
const MAX_SHOWN_CELL = 40;
/** Longest message a PriceFileError carries. */
export const MAX_MESSAGE_CHARS = 400;

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides that can rearrange a line.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters by "�" (a tab and a line end included: a message is one line). */
export function stripControls(s: string): string {
  return s.replace(CONTROL, '\ufffd');
}

/** A cell's text for a message: control characters replaced, cut at 40 characters with "…", in double quotes. */
export function showCell(raw: string): string {
  const s = stripControls(raw);
  return `"${s.length > MAX_SHOWN_CELL ? s.slice(0, MAX_SHOWN_CELL) + '…' : s}"`;
}

/** A message made safe to print: one line, controls replaced, at most MAX_MESSAGE_CHARS characters. */
export function cleanMessage(message: string): string {
  const s = stripControls(message);
  return s.length > MAX_MESSAGE_CHARS ? s.slice(0, MAX_MESSAGE_CHARS - 1) + '…' : s;
}
