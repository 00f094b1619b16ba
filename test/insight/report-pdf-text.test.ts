// The PDF board report's built-in fonts draw the Windows-1252 characters only; anything else was
// written as a wrong glyph, silently ("Łódź" read as garbage on the board's copy). Text is now drawn
// without accents where that leaves a letter, "?" otherwise, and the report says so.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawable } from '../../src/insight/pdf-text.js';
import { readBundle } from '../support/files.js';
import { pdfText } from '../support/pdf.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');

describe('text in the PDF report', () => {
  it('keeps what WinAnsi draws, drops accents where a letter remains, and writes "?" for the rest', () => {
    expect(drawable('Zürich — €5 “ok” Œuvre')).toEqual({ text: 'Zürich — €5 “ok” Œuvre', plain: 0, replaced: 0 });
    expect(drawable('Łódź Şişli Čapek')).toEqual({ text: 'Lódz Sisli Capek', plain: 5, replaced: 0 });
    expect(drawable('東京 Ελλάδα 🚀')).toEqual({ text: '?? ?????? ?', plain: 0, replaced: 9 });
    expect(drawable('a\tb\nc')).toEqual({ text: 'a b\nc', plain: 0, replaced: 0 });
    // Fulcrum's own symbols (a plan's reason, a metric's "baseline → target") are spelled, not "?".
    expect(drawable('attainment 80% (≥ 70%), 3 → 5, −1…1, ≤ ≠ ≈ ←')).toEqual({
      text: 'attainment 80% (>= 70%), 3 -> 5, -1…1, <= != ~ <-',
      plain: 0,
      replaced: 0,
    });
  });

  it('spells the symbols Fulcrum writes (a plan\'s "≥", "baseline → target") and says nothing of them', async () => {
    const t = await startTestServer('sqlite');
    try {
      expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
      const i = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
      const title = 'Deflection → self-serve (≥ 80%)';
      expect(
        (await t.request({ method: 'PUT', url: '/v1/initiatives/support-deflection', payload: { spec: { ...i.spec, title } } }))
          .statusCode,
      ).toBe(200);
      const text = pdfText((await t.request({ method: 'GET', url: '/v1/report?format=pdf' })).rawPayload);
      expect(text).toContain('Deflection -> self-serve (>= 80%)');
      expect(text).not.toContain('cannot draw');
    } finally {
      await t.close();
    }
  });

  describe('GET /v1/report?format=pdf', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer('sqlite');
      expect((await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } })).statusCode).toBe(200);
      const i = (await t.request({ method: 'GET', url: '/v1/initiatives/support-deflection' })).json();
      const renamed = await t.request({
        method: 'PUT',
        url: '/v1/initiatives/support-deflection',
        payload: { spec: { ...i.spec, title: 'Łódź support 東京' } },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
    });
    afterAll(async () => t?.close());

    it('draws a title with other characters as near as it can, and says what it changed', async () => {
      const text = pdfText((await t.request({ method: 'GET', url: '/v1/report?format=pdf' })).rawPayload);
      expect(text).toContain('Lódz support ??');
      // (Lines wrap where the page ends them.)
      expect(text.replace(/ ?\n/g, ' ')).toMatch(
        /This PDF's font cannot draw every character typed into Fulcrum: \d+ written without accent, \d+ written as "\?"\. The HTML and Markdown reports show every name as typed\./,
      );
      const md = (await t.request({ method: 'GET', url: '/v1/report?format=md' })).body;
      expect(md).toContain('Łódź support 東京');
    });
  });
});
