// The board report as a PDF (A4, a few pages), drawn with PDFKit: no browser on the server.
// Same content and order as the HTML rendering; the spend chart is drawn as vector bars.
import PDFDocument from 'pdfkit';
import { drawableDeep, PDF_TEXT_MAX } from './pdf-text.js';
import {
  type BoardReport,
  formatMoney,
  formatValue,
  incidentsNotListed,
  progressLabel,
  type ReportBudget,
  roiCostLabel,
  roiLabel,
  roiValueLabel,
  STATUS_COLOUR,
  STATUS_LABEL,
  VERDICT_COLOUR,
  VERDICT_LABEL,
} from './report.js';
import { HIDDEN_CHARS_NOTE, holdsHiddenChars, incidentsLine, notReadyLines } from './report-render.js';

const INK = '#202124';
const MUTED = '#5f6368';
const RULE = '#dadce0';
const day = (iso: string) => iso.slice(0, 10);

type Doc = InstanceType<typeof PDFDocument>;
type Cell = string | { text: string; textColor?: string; font?: { src?: string } };

export function renderPdf(report: BoardReport): Promise<Buffer> {
  const { value: r, plain, replaced, cut } = drawableDeep(report);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 48, left: 48, right: 48 },
    bufferPages: true,
    info: { Title: r.title, Author: 'Fulcrum', Subject: `Generated ${day(r.generatedAt)}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 96;

  /** A section title, on a new page when less than `keepWith` points of its content would follow it. */
  const heading = (text: string, keepWith = 80) => {
    ensureSpace(doc, keepWith + 30);
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(14).fillColor(INK).text(text, 48);
    const y = doc.y + 2;
    doc
      .moveTo(48, y)
      .lineTo(48 + width, y)
      .lineWidth(1)
      .strokeColor(RULE)
      .stroke();
    doc.moveDown(0.5).font('Helvetica').fontSize(9);
  };
  const para = (text: string, colour = INK) =>
    doc.font('Helvetica').fontSize(9).fillColor(colour).text(text, 48, doc.y, { width });
  const table = (columns: Array<number | string>, head: string[], rows: Cell[][]) => {
    doc.x = 48;
    doc.table({
      columnStyles: columns,
      defaultStyle: { border: { bottom: 0.5 }, borderColor: RULE, padding: [3, 4] },
      data: [head.map((h) => ({ text: h.toUpperCase(), textColor: MUTED, font: { src: 'Helvetica-Bold', size: 7 } })), ...rows],
    });
    doc.moveDown(0.6);
  };

  // Title and verdict.
  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(r.title);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(`Generated ${day(r.generatedAt)} by Fulcrum from live evidence. Window ${r.window.from} to ${r.window.to}.`);
  if (plain + replaced > 0)
    doc.text(
      `This PDF's font cannot draw every character typed into Fulcrum: ${[
        plain ? `${plain} written without accent` : '',
        replaced ? `${replaced} written as "?"` : '',
      ]
        .filter(Boolean)
        .join(', ')}. The HTML and Markdown reports show every name as typed.`,
    );
  if (holdsHiddenChars(report)) doc.text(HIDDEN_CHARS_NOTE);
  if (cut > 0)
    doc.text(
      `${cut} text${cut === 1 ? ' is' : 's are'} longer than this PDF draws (${PDF_TEXT_MAX} characters) and cut short with "…". The HTML and Markdown reports show them whole.`,
    );
  doc.moveDown(0.8);
  const v = r.diagnostic.verdict;
  const boxY = doc.y;
  const passing = r.diagnostic.areas.filter((a) => a.status === 'pass').length;
  const lines = [
    `${passing} of ${r.diagnostic.areas.length} checklist areas pass. ${r.initiatives.length} active initiatives.`,
    `${r.incidents.openCount} incident(s) open, ${r.incidents.overdue} serious-incident report(s) overdue, ${r.signals.stalledPilots.length} pilot(s) stalled past 180 days.`,
  ];
  doc.rect(48, boxY, 5, 58).fill(VERDICT_COLOUR[v] ?? MUTED);
  doc.rect(53, boxY, width - 5, 58).fill('#f8f9fa');
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .fillColor(VERDICT_COLOUR[v] ?? MUTED)
    .text(VERDICT_LABEL[v] ?? v, 64, boxY + 9, { width: width - 24 });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(INK)
    .text(lines.join('\n'), 64, doc.y + 3, { width: width - 24 });
  doc.y = boxY + 66;

  heading('Scale-or-fail scorecard');
  table(
    [100, 48, '*', 130],
    ['Area', 'Status', 'Evidence', 'Next action'],
    r.diagnostic.areas.map((a) => [
      { text: `${a.area}\n${a.question}`, font: { src: 'Helvetica' } },
      { text: STATUS_LABEL[a.status] ?? a.status, textColor: STATUS_COLOUR[a.status] ?? MUTED, font: { src: 'Helvetica-Bold' } },
      a.evidence.map((e) => `${e.label}: ${e.value}`).join('\n') + (a.why ? `\n${a.why}` : ''),
      a.status === 'pass' ? '-' : a.action,
    ]),
  );

  heading('Outcomes against targets');
  if (r.initiatives.length === 0) para('No active initiatives.');
  for (const i of r.initiatives) {
    ensureSpace(doc, 40 + 16 * Math.max(1, i.metrics.length));
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(i.title, 48, doc.y, { width, continued: false });
    para(`${i.name} | ${i.stage} | risk tier ${i.riskTier ?? 'untiered'} | owner ${i.owner}`, MUTED);
    doc.moveDown(0.2);
    if (i.metrics.length === 0) {
      para('No outcome metrics declared.', MUTED);
      doc.moveDown(0.5);
      continue;
    }
    table(
      ['*', 62, 62, 62, 90, 66],
      ['Metric', 'Baseline', 'Current', 'Target', 'Progress', 'Provenance'],
      i.metrics.map((m) => [
        m.name,
        formatValue(m.baseline, m.unit),
        { text: formatValue(m.current, m.unit), font: { src: 'Helvetica-Bold' } },
        formatValue(m.target, m.unit),
        progressLabel(m),
        { text: m.provenance, textColor: m.provenance === 'measured' ? STATUS_COLOUR.pass : MUTED },
      ]),
    );
  }

  heading('Return on investment (last 30 days)');
  para(
    'Value is outcome improvement x the value per unit each initiative states (an assumption); cost is measured telemetry plus self-reported and imported spend.',
    MUTED,
  );
  doc.moveDown(0.3);
  table(
    ['*', 80, 80, 60, 90],
    ['Initiative', 'Value', 'Cost', 'ROI', 'Provenance'],
    r.initiatives.map((i) => [
      i.name,
      `${roiValueLabel(i.roi)} (${i.roi.valueProvenance})`,
      roiCostLabel(i.roi),
      { text: roiLabel(i.roi), font: { src: 'Helvetica-Bold' } },
      i.roi.provenance,
    ]),
  );

  heading('Spend against budget', 250);
  if (r.budgets.length === 0) para('No budget covers today.');
  for (const b of r.budgets) {
    const money = (v: number | null) => formatMoney(v, b.currency);
    ensureSpace(doc, 260);
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(`${b.name} (${b.period.from} to ${b.period.to}, ${b.currency})`, 48);
    para(
      `Spent ${money(b.total.actual)} against ${money(b.total.proRated)} allocated to date (${money(b.total.allocated)} for the period).`,
      MUTED,
    );
    doc.moveDown(0.4);
    spendChart(doc, b, width);
    for (const c of b.categories.filter((x) => x.offPlan))
      para(
        `Off plan: ${c.category.replace(/-/g, ' ')} at ${money(c.actual)} vs ${money(c.proRated)} (${c.deviation === null ? 'nothing allocated' : `${c.deviation >= 0 ? '+' : ''}${Math.round(c.deviation * 100)}%`}).`,
      );
    if (b.withoutOutcomes.length)
      para(
        `Spend on initiatives without quantified outcomes: ${b.withoutOutcomes.map((w) => `${w.initiative} ${money(w.amount)}`).join(', ')}.`,
      );
    if (b.stalledPilots.length)
      para(
        `Spend on pilots stalled past 180 days: ${b.stalledPilots.map((p) => `${p.initiative} ${money(p.amount)}`).join(', ')}.`,
      );
    if (b.telemetryNotIncludedUsd)
      para(
        `Its actuals leave out ${formatMoney(b.telemetryNotIncludedUsd, 'USD')} of model calls measured in USD in its period (no currency is converted).`,
      );
    if (b.unpricedModelCalls > 0)
      para(
        `Its actuals leave out ${b.unpricedModelCalls} model call${b.unpricedModelCalls === 1 ? '' : 's'} without a price (a model not registered, or not priced that day): their cost is unknown, so model licences and compute are lower bounds.`,
      );
  }

  heading('Incidents and risks');
  para(`${incidentsLine(r)}.`);
  doc.moveDown(0.3);
  if (r.incidents.pressing.length)
    table(
      [62, 40, 60, '*', 110],
      ['Opened', 'Sev.', 'Status', 'Title', 'Reporting'],
      r.incidents.pressing.map((i) => [
        day(i.openedAt),
        i.severity,
        i.status,
        i.title,
        i.seriousIncident
          ? {
              text: `Art. 73 due ${day(i.reporting?.dueAt ?? '')}${i.reporting?.overdue ? ' OVERDUE' : ''}`,
              textColor: i.reporting?.overdue ? STATUS_COLOUR.fail : INK,
            }
          : '-',
      ]),
    );
  if (incidentsNotListed(r.incidents)) para(incidentsNotListed(r.incidents));
  const watched = r.risks.filter((x) => ['prohibited', 'high', 'untiered'].includes(x.tier));
  if (watched.length)
    table(
      ['*', 62, 60, 100, 100],
      ['Initiative (high, prohibited, untiered)', 'Tier', 'Stage', 'Oversight owner', 'Incident owner'],
      watched.map((x) => [
        x.initiative,
        { text: x.tier, textColor: x.tier === 'prohibited' ? STATUS_COLOUR.fail : INK },
        x.stage,
        x.oversightOwner ?? 'none',
        x.incidentOwner ?? 'none',
      ]),
    );

  heading('Where AI is not ready yet');
  for (const line of notReadyLines(r)) {
    doc.font('Helvetica').fontSize(9).fillColor(INK).text(`-  ${line}`, 48, doc.y, { width, indent: 0 });
    doc.moveDown(0.2);
  }
  if (r.plan) {
    heading('The plan: scale, fix, keep going or stop');
    for (const line of r.plan) {
      doc.font('Helvetica').fontSize(9).fillColor(INK).text(`-  ${line}`, 48, doc.y, { width, indent: 0 });
      doc.moveDown(0.2);
    }
  }

  // Page numbers, once every page exists.
  const pages = doc.bufferedPageRange();
  for (let p = pages.start; p < pages.start + pages.count; p++) {
    doc.switchToPage(p);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`Fulcrum board report | ${day(r.generatedAt)} | page ${p + 1} of ${pages.count}`, 48, doc.page.height - 32, {
        width,
        align: 'center',
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function ensureSpace(doc: Doc, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Horizontal bars per category: actual (filled) against the allocation to date (dashed outline). */
function spendChart(doc: Doc, b: ReportBudget, width: number): void {
  const labelW = 130;
  const barW = width - labelW - 120;
  const rowH = 20;
  // Bars for finite amounts only; the label says n/a for the rest (PDFKit refuses NaN coordinates).
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : 0);
  const max = Math.max(1, ...b.categories.flatMap((c) => [finite(c.proRated), finite(c.actual)]));
  const top = doc.y;
  b.categories.forEach((c, i) => {
    const y = top + i * rowH;
    const actual = (finite(c.actual) / max) * barW;
    const plan = (finite(c.proRated) / max) * barW;
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor(INK)
      .text(c.category.replace(/-/g, ' '), 48, y + 4, { width: labelW - 6 });
    if (actual > 0) doc.rect(48 + labelW, y + 4, actual, 10).fill(c.offPlan ? STATUS_COLOUR.fail : '#1f5fbf');
    if (plan > 0)
      doc
        .rect(48 + labelW, y + 2, plan, 14)
        .dash(3, { space: 2 })
        .lineWidth(0.8)
        .strokeColor(INK)
        .stroke()
        .undash();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${formatMoney(c.actual, b.currency)} / ${formatMoney(c.proRated, b.currency)}`,
        48 + labelW + Math.max(actual, plan) + 6,
        y + 5,
        {
          lineBreak: false,
        },
      );
  });
  const legendY = top + b.categories.length * rowH + 6;
  doc.rect(48 + labelW, legendY, 10, 8).fill('#1f5fbf');
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(INK)
    .text('actual', 48 + labelW + 14, legendY, { lineBreak: false });
  doc
    .rect(48 + labelW + 60, legendY - 1, 10, 10)
    .dash(3, { space: 2 })
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke()
    .undash();
  doc.text('allocation to date', 48 + labelW + 74, legendY, { lineBreak: false });
  doc.rect(48 + labelW + 160, legendY, 10, 8).fill(STATUS_COLOUR.fail);
  doc.fillColor(INK).text('off plan (more than 25% from plan)', 48 + labelW + 174, legendY, { lineBreak: false });
  doc.x = 48;
  doc.y = legendY + 18;
}
