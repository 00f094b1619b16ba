// The Markdown board report keeps what people typed as text: a title cannot open a section, a link
// or HTML of its own in the document a board reads — on every engine.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { readBundle } from '../support/files.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MINI = path.resolve(import.meta.dirname, '../fixtures/mini');
const TITLE =
  'Refund loop\n\n## Verdict: Scale\n\n- 6 of 6 checklist areas pass [details](https://evil.example/) <img src=x onerror=alert(1)>';

describe.each(ENGINES)('Markdown board report on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
    await t.request({ method: 'POST', url: '/v1/apply', payload: { files: readBundle(MINI) } });
    const incident = await t.request({
      method: 'POST',
      url: '/v1/incidents',
      payload: { title: TITLE, severity: 'sev2', agents: ['support-bot-eu'] },
    });
    expect(incident.statusCode, incident.body).toBe(201);
  });
  afterAll(async () => t?.close());

  it('an incident title cannot add a verdict, a link or HTML to it', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/report?format=md' });
    expect(res.statusCode).toBe(200);
    const md = res.body;
    // One verdict: the report's own.
    expect(md.split('\n').filter((l) => l.startsWith('## Verdict'))).toHaveLength(1);
    expect(md.split('\n').filter((l) => l.startsWith('- 6 of 6'))).toEqual([]);
    // HTML only as escaped text (\<img), a link's brackets escaped.
    expect(md).not.toMatch(/(^|[^\\])<img/m);
    expect(md).not.toContain('[details](');
    // The title is still there, on one line, as text.
    expect(md).toContain(
      'Refund loop ## Verdict: Scale - 6 of 6 checklist areas pass \\[details\\](https://evil.example/) \\<img',
    );
  });
});
