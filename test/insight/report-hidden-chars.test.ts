// The board report shows names from the registry and evidence the way the console does: each hidden
// or direction-changing character as its \u escape (marked in HTML), and a backslash before a `u` as
// \u005C. Found by review: printed raw, an initiative titled "Refunds <U+202E>0009" read "Refunds
// 9000" to the board in the HTML preview, and the PDF drew a "?" that said nothing of why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_CHARS } from '../../src/hidden-chars.js';
import { pdfText } from '../support/pdf.js';
import { startMini, type TestServer } from '../support/server.js';

const RLO = '\u202E';
const ZWSP = '\u200B';
const HIDDEN = new RegExp(`[${HIDDEN_CHARS}]`, 'u');

describe('hidden characters in the board report', () => {
  let t: TestServer;
  beforeAll(async () => {
    let key: string;
    ({ t, key } = await startMini('sqlite'));
    const i = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
    // One override, and the six characters of its escape typed literally.
    const title = `Refunds ${RLO}0009 and \\u202E typed`;
    const renamed = await t.request({
      method: 'PUT',
      url: '/v1/initiatives/support-deflection',
      payload: { spec: { ...i.spec, title } },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    // Telemetry naming an identity no agent is registered as: a shadow agent, listed by name.
    const events = [
      {
        type: 'task.completed',
        taskId: 'look-alike',
        agent: `support${ZWSP}-bot-eu`,
        outcome: 'resolved',
        durationMs: 1000,
        endedAt: new Date().toISOString(),
      },
    ];
    expect((await t.request({ method: 'POST', url: '/v1/events', token: key, payload: { events } })).statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('marks them in the HTML, in text and attributes alike, with a note saying so', async () => {
    const html = (await t.request({ method: 'GET', url: '/v1/report?format=html' })).body;
    expect(html).not.toMatch(HIDDEN);
    expect(html).toContain(
      'Refunds <mark class="hidden-char" title="U+202E: an invisible or direction-changing character">\\u202E</mark>0009 and ' +
        '<mark class="hidden-char" title="U+005C: a backslash, written as its escape so that what follows does not read as one">\\u005C</mark>u202E typed',
    );
    expect(html).toContain(
      'telemetry:support<mark class="hidden-char" title="U+200B: an invisible or direction-changing character">\\u200B</mark>-bot-eu',
    );
    expect(html).toContain(
      '<p class="callout small" role="note">Names and evidence in this report hold invisible or direction-changing characters',
    );
  });

  it('writes them as escapes in the Markdown', async () => {
    const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
    expect(md).not.toMatch(HIDDEN);
    // CommonMark backslash escapes: this reads "Refunds \u202E0009 and \u005Cu202E typed".
    expect(md).toContain('Refunds \\\\u202E0009 and \\\\u005Cu202E typed');
    expect(md).toContain('telemetry:support\\\\u200B-bot-eu');
  });

  it('writes them as escapes in the PDF, with a note saying so', async () => {
    const text = pdfText((await t.request({ method: 'GET', url: '/v1/report?format=pdf' })).rawPayload).replace(/ ?\n/g, ' ');
    expect(text).toContain('Refunds \\u202E0009 and \\u005Cu202E typed');
    expect(text).toContain('telemetry:support\\u200B-bot-eu');
    // (pdfText reads WinAnsi's "…" as a C1 control.)
    expect(text).toMatch(
      /Names and evidence in this report hold invisible or direction-changing characters, shown as \\u\x85 escapes/,
    );
    expect(text).not.toMatch(/Refunds \?|support\?/);
  });
});
