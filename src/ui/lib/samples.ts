// The bundled real market-years (public/samples/samples.json, written with the samples by the ingestion work).

/** One entry of samples.json. */
export interface SampleInfo {
  id: string;
  file: string;
  market: string;
  period: string;
  resolution: string;
  licence: string;
  attribution: string;
}

/** The sample shown on first load: DE-LU 2023 when bundled, else the first one. */
export function defaultSample(samples: readonly SampleInfo[]): SampleInfo | undefined {
  return (
    samples.find((s) => /de-?lu/i.test(s.id) && s.period.includes('2023')) ??
    samples.find((s) => /de-?lu/i.test(s.id)) ??
    samples[0]
  );
}

/** Accepts samples.json as an array or as `{ samples: [...] }`; drops entries without id or file. */
export function readSamplesJson(json: unknown): SampleInfo[] {
  const list = Array.isArray(json) ? json : (json as { samples?: unknown })?.samples;
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (s): s is Record<string, unknown> =>
        typeof s === 'object' && s !== null && typeof s.id === 'string' && typeof s.file === 'string',
    )
    .map((s) => ({
      id: String(s.id),
      file: String(s.file),
      market: String(s.market ?? s.id),
      period: String(s.period ?? ''),
      resolution: String(s.resolution ?? ''),
      licence: String(s.licence ?? s.license ?? ''),
      attribution: String(s.attribution ?? ''),
    }));
}
