// Exports what a chart container shows — its canvas layers and SVG layers, stacked as on screen — as one SVG or PNG.
// Usage: const svg = chartToSvg(el, 'prices'); const png = await chartToPng(el); downloadBlob(png, 'prices.png');

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
/** Presentation properties copied from computed styles, so the file looks like the page without its stylesheet. */
const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'];

/** Escapes text for an XML attribute. */
export function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Wraps layer fragments into a standalone SVG document of the given size, with a background. */
export function svgDocument(width: number, height: number, background: string, layers: string[], title: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<title>${xmlAttr(title)}</title><rect width="100%" height="100%" fill="${xmlAttr(background)}"/>${layers.join('')}</svg>`;
}

function inlineStyles(source: Element, clone: Element): void {
  const cs = getComputedStyle(source);
  const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).filter((s) => !s.endsWith(':')).join(';');
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
      fragments.push(`<image x="${x}" y="${y}" width="${r.width}" height="${r.height}" href="${el.toDataURL('image/png')}"/>`);
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

/** The chart as an SVG document (canvas layers embedded as PNG images). */
export function chartToSvg(container: HTMLElement, title: string): string {
  const { width, height, fragments } = layers(container);
  return svgDocument(width, height, background(container), fragments, title);
}

/** The chart as a PNG at the screen's pixel density. */
export async function chartToPng(container: HTMLElement, title = 'chart'): Promise<Blob> {
  const svg = chartToSvg(container, title);
  const { width, height } = container.getBoundingClientRect();
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
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
