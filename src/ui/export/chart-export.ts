// Exports what a chart container shows — its canvas layers and SVG layers, stacked as on screen — as one SVG or PNG.
// Usage: const svg = chartToSvg(el, 'prices'); const png = await chartToPng(el); downloadBlob(png, 'prices.png');

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** Presentation properties copied from computed styles, so the file looks like the page without its stylesheet. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
];

/** Escapes text for an XML attribute. */
export function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** What an exported chart says about itself: a file must make sense away from the page. */
export interface ExportMeta {
  title: string;
  /** Market or file name. */
  source: string;
  /** The period shown, in words ("2023-01-01 – 2023-12-31 UTC"). */
  period: string;
  /** Units of the axes ("EUR/MWh; SOC kWh"). */
  units: string;
  legend: { label: string; color: string }[];
}

const HEADER_PX = 58;

/** The header band of an exported chart (title; source, period and units; legend) as SVG, and its height. */
export function exportHeader(
  meta: ExportMeta,
  width: number,
  textColor = '#e6edf7',
  mutedColor = '#9fb0cc',
): { height: number; svg: string } {
  const font = 'font-family="system-ui, sans-serif"';
  let x = 12;
  const legend = meta.legend.map((l) => {
    const item = `<rect x="${x}" y="44" width="14" height="4" rx="1" fill="${xmlAttr(l.color)}"/><text x="${x + 19}" y="49" ${font} font-size="11" fill="${xmlAttr(mutedColor)}">${xmlAttr(l.label)}</text>`;
    x += 19 + l.label.length * 6.2 + 16;
    return item;
  });
  const svg =
    `<g class="export-header"><text x="12" y="19" ${font} font-size="14" font-weight="650" fill="${xmlAttr(textColor)}">${xmlAttr(meta.title)}</text>` +
    `<text x="12" y="35" ${font} font-size="11" fill="${xmlAttr(mutedColor)}">${xmlAttr(`${meta.source} · ${meta.period} · ${meta.units}`)}</text>${legend.join('')}` +
    `<line x1="0" x2="${width}" y1="${HEADER_PX - 0.5}" y2="${HEADER_PX - 0.5}" stroke="${xmlAttr(mutedColor)}" stroke-opacity="0.3"/></g>`;
  return { height: HEADER_PX, svg };
}

/** Wraps layer fragments into a standalone SVG document of the given size, with a background. */
export function svgDocument(
  width: number,
  height: number,
  background: string,
  layers: string[],
  title: string,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${xmlAttr(title)}</title><rect width="100%" height="100%" fill="${xmlAttr(background)}"/>${layers.join('')}</svg>`
  );
}

function inlineStyles(source: Element, clone: Element): void {
  const cs = getComputedStyle(source);
  const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`)
    .filter((s) => !s.endsWith(':'))
    .join(';');
  clone.setAttribute('style', style);
  for (let i = 0; i < source.children.length; i++) inlineStyles(source.children[i], clone.children[i]);
}

function visible(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** The container's canvas and SVG layers in document order, as SVG fragments placed where they are on screen. */
function layers(container: HTMLElement): { width: number; height: number; fragments: string[] } {
  const box = container.getBoundingClientRect();
  const fragments: string[] = [];
  for (const el of Array.from(container.querySelectorAll('canvas, svg'))) {
    if (el.parentElement?.closest('svg') || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    const x = r.left - box.left;
    const y = r.top - box.top;
    if (el instanceof HTMLCanvasElement) {
      fragments.push(
        `<image x="${x}" y="${y}" width="${r.width}" height="${r.height}" href="${el.toDataURL('image/png')}"/>`,
      );
    } else {
      const clone = el.cloneNode(true) as SVGSVGElement;
      inlineStyles(el, clone);
      clone.setAttribute('x', String(x));
      clone.setAttribute('y', String(y));
      clone.setAttribute('width', String(r.width));
      clone.setAttribute('height', String(r.height));
      clone.removeAttribute('aria-hidden');
      fragments.push(new XMLSerializer().serializeToString(clone));
    }
  }
  return { width: Math.ceil(box.width), height: Math.ceil(box.height), fragments };
}

function background(container: HTMLElement): string {
  for (let el: HTMLElement | null = container; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0')) return c;
  }
  return '#ffffff';
}

/** The chart as an SVG document (canvas layers embedded as PNG images), under a header saying what it shows. */
export function chartToSvg(container: HTMLElement, title: string, meta?: ExportMeta | null): string {
  return composeSvg(container, title, meta).svg;
}

function composeSvg(
  container: HTMLElement,
  title: string,
  meta?: ExportMeta | null,
): { svg: string; width: number; height: number } {
  const { width, height, fragments } = layers(container);
  if (!meta) return { svg: svgDocument(width, height, background(container), fragments, title), width, height };
  const head = exportHeader(meta, width);
  const body = `<g transform="translate(0,${head.height})">${fragments.join('')}</g>`;
  return {
    svg: svgDocument(width, height + head.height, background(container), [head.svg, body], meta.title),
    width,
    height: height + head.height,
  };
}

/** The chart as a PNG at the screen's pixel density. */
export async function chartToPng(container: HTMLElement, title = 'chart', meta?: ExportMeta | null): Promise<Blob> {
  const { svg, width, height } = composeSvg(container, title, meta);
  const scale = Math.max(1, globalThis.devicePixelRatio || 1);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
