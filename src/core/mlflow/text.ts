// UTF-8 through the WHATWG encoding API, which Node, browsers and workers all have (the core's tsconfig has no DOM
// library, so the globals are typed here rather than declared).

interface Encoding {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(b: Uint8Array): string };
}
const G = globalThis as unknown as Encoding;
const encoder = new G.TextEncoder();
const decoder = new G.TextDecoder('utf-8', { fatal: true });

export const utf8 = {
  encode: (s: string): Uint8Array => encoder.encode(s),
  /** Throws a TypeError on bytes that are not UTF-8. */
  decode: (b: Uint8Array): string => decoder.decode(b),
};
