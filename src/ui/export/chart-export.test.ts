import { describe, expect, it } from 'vitest';
import { exportHeader, svgDocument, xmlAttr } from './chart-export.ts';

describe('svgDocument', () => {
  it('wraps layers in a standalone SVG with size, viewBox, background and an escaped title', () => {
    const doc = svgDocument(
      640,
      200,
      '#0f172a',
      ['<g id="a"/>', '<image href="data:image/png;base64,AAAA"/>'],
      'Prices & SOC <DE-LU>',
    );
    expect(doc.startsWith('<?xml')).toBe(true);
    expect(doc).toContain('width="640" height="200" viewBox="0 0 640 200"');
    expect(doc).toContain('<title>Prices &amp; SOC &lt;DE-LU&gt;</title>');
    expect(doc.indexOf('<rect')).toBeLessThan(doc.indexOf('<g id="a"/>'));
    expect(doc.indexOf('<g id="a"/>')).toBeLessThan(doc.indexOf('<image'));
    expect(doc.endsWith('</svg>')).toBe(true);
  });
  it('xmlAttr escapes quotes so a colour or title cannot break the attribute', () => {
    expect(xmlAttr('a"b<c>&')).toBe('a&quot;b&lt;c&gt;&amp;');
  });
});

describe('exportHeader', () => {
  it('writes title, source, period, units and a legend entry per series, escaped', () => {
    const { height, svg } = exportHeader(
      {
        title: 'Prices & SOC',
        source: 'DE-LU <day-ahead>',
        period: '2023-01-01 – 2023-12-31 UTC',
        units: 'EUR/MWh; SOC kWh',
        legend: [
          { label: 'Price', color: '#38bdf8' },
          { label: 'Oracle SOC', color: '#a78bfa' },
        ],
      },
      800,
    );
    expect(height).toBeGreaterThan(40);
    expect(svg).toContain('>Prices &amp; SOC</text>');
    expect(svg).toContain('DE-LU &lt;day-ahead&gt; · 2023-01-01 – 2023-12-31 UTC · EUR/MWh; SOC kWh');
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('fill="#a78bfa"');
    expect(svg).toContain('>Oracle SOC</text>');
  });
});
