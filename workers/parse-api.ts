// Protocol of the parse worker: the file is read and parsed off the main thread.
import type { PriceSeries } from '../src/core/prices/types.ts';

export interface ParseOk {
  ok: true;
  series: PriceSeries;
}
export interface ParseFailed {
  ok: false;
  /** One clear message naming the file, and the row and column where known. */
  message: string;
  file: string;
  row?: number;
  column?: string;
}

export interface ParseApi {
  /** Parses a dropped/picked file or a fetched sample's text; `onProgress` gets the share of bytes read, 0..1. */
  parse(input: Blob | string, fileName: string, onProgress?: (share: number) => void): Promise<ParseOk | ParseFailed>;
}
