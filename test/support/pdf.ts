// Reads the text a PDFKit document shows: inflates its content streams and decodes the hex strings
// of its TJ text operators (standard fonts write WinAnsi codes). Enough to check what a page says.
import zlib from 'node:zlib';

export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  const start = /stream\r?\n/g;
  for (let m = start.exec(raw); m; m = start.exec(raw)) {
    const from = m.index + m[0].length;
    let content: string;
    try {
      content = zlib.inflateSync(pdf.subarray(from, raw.indexOf('endstream', from))).toString('latin1');
    } catch {
      continue; // not a deflated stream (fonts, images)
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...(tj[1] as string).matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return lines.join('\n');
}

/** Pages in the document, from the page tree's /Count. */
export function pdfPageCount(pdf: Buffer): number {
  const counts = [...pdf.toString('latin1').matchAll(/\/Type \/Pages[^>]*?\/Count (\d+)/g)].map((m) => Number(m[1]));
  return Math.max(0, ...counts);
}
