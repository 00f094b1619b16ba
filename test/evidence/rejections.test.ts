// An export's rejected spans are counted, and only the first few are named (found by review): 8 MiB of
// empty spans (2.8 million in OTLP/JSON, 4.2 million in protobuf) kept a reason for each, carried them
// from the worker thread to the event loop, sorted and joined them into the answer, to cut it at 2,000
// characters: ~2 minutes and ~1.4 GB for one request, the event loop held up to 49 s at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPORT_SPANS, MAX_REASONS } from '../../src/evidence/otlp.js';
import { mapOtlpBody } from '../../src/evidence/otlp-body.js';
import { OFF_LOOP_BYTES } from '../../src/http/off-loop.js';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

/** An OTLP/JSON export of `n` empty spans, then `good`. */
const emptySpans = (n: number, good: unknown[] = []) =>
  `{"resourceSpans":[{"scopeSpans":[{"spans":[${[...Array(n).fill('{}'), ...good.map((s) => JSON.stringify(s))].join(',')}]}]}]}`;

/** A protobuf field `tag` holding `body` (length-delimited). */
function lengthDelimited(tag: number, body: Buffer): Buffer {
  const head = [(tag << 3) | 2];
  for (let n = body.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      head.push(n);
      break;
    }
    head.push((n & 127) | 128);
  }
  return Buffer.concat([Buffer.from(head), body]);
}

const chat = (i: number, agent?: string) => {
  const startMs = Date.now() - 60_000;
  return {
    traceId: `${'5e'.repeat(12)}${String(i).padStart(8, '0')}`,
    spanId: `${'6f'.repeat(4)}${String(i).padStart(8, '0')}`,
    name: 'chat',
    startMs,
    endMs: startMs + 500,
    attributes: { 'gen_ai.operation.name': 'chat', ...(agent ? { 'gen_ai.agent.name': agent } : {}) },
  };
};

describe('reading an export', () => {
  it('counts every rejected span and keeps the reasons of the first MAX_REASONS only', () => {
    const n = 100_000;
    const json = mapOtlpBody('json', Buffer.from(emptySpans(n)));
    expect(json.rejectedCount).toBe(n);
    expect(json.rejected).toHaveLength(MAX_REASONS);
    expect(json.rejected.at(-1)).toEqual({ index: MAX_REASONS - 1, reason: 'traceId is missing' });
  });
});

describe.each(ENGINES)('an export of many rejected spans on %s', (engine) => {
  let t: TestServer;
  let key = '';
  beforeAll(async () => {
    ({ t, key } = await startMini(engine));
  });
  afterAll(async () => t?.close());

  /** POSTs `payload`, and how long it took and held the event loop at most. */
  async function timed(payload: string | Buffer, type: string) {
    let lag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      lag = Math.max(lag, performance.now() - last - 10);
      last = performance.now();
    }, 10);
    const started = performance.now();
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload,
      headers: { 'content-type': type },
    });
    clearInterval(timer);
    return { res, ms: Math.round(performance.now() - started), lag: Math.round(lag) };
  }

  it('answers an export of MAX_EXPORT_SPANS empty spans with their count and the first reasons', async () => {
    const good = otlpExport([chat(1)]).resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    const n = MAX_EXPORT_SPANS - 1;
    const payload = emptySpans(n, good);
    expect(payload.length).toBeGreaterThan(OFF_LOOP_BYTES);
    const { res, ms, lag } = await timed(payload, 'application/json');
    console.log(`${n} empty spans and a good one: answered in ${ms} ms, event loop held ${lag} ms at most`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const { rejectedSpans, errorMessage } = res.json().partialSuccess;
    expect(rejectedSpans).toBe(String(n));
    expect(errorMessage.length).toBeLessThanOrEqual(2000);
    expect(errorMessage).toMatch(/^span 0: traceId is missing; span 1: traceId is missing; /);
    expect(errorMessage).toMatch(new RegExp(`; and \\d+ more spans rejected \\(${n} in all\\)$`));
    const stored = await t.app.database.db.selectFrom('spans').select('span_id').execute();
    expect(stored).toEqual([{ span_id: `${'6f'.repeat(4)}00000001` }]);
  }, 60_000);

  it('refuses 8 MiB of empty spans, OTLP/JSON or protobuf, naming the limit', async () => {
    const n = Math.floor((8 * 1024 * 1024 - 100) / 3);
    const json = await timed(emptySpans(n), 'application/json');
    const spans = Buffer.alloc(8 * 1024 * 1024 - 16);
    for (let i = 0; i < spans.length; i += 2) spans[i] = 0x12; // ScopeSpans.spans, an empty Span
    const protobuf = await timed(lengthDelimited(1, lengthDelimited(2, spans)), 'application/x-protobuf');
    for (const [encoding, { res, ms, lag }, count] of [
      ['json', json, n],
      ['protobuf', protobuf, spans.length / 2],
    ] as const) {
      console.log(`8 MiB of empty spans (${encoding}): answered in ${ms} ms, event loop held ${lag} ms at most`);
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error).toEqual({
        code: 'payload_too_large',
        message: `an OTLP export holds at most ${MAX_EXPORT_SPANS} spans, this one ${count}: send smaller batches (the OpenTelemetry Collector's batch processor: send_batch_max_size)`,
      });
    }
  }, 120_000);

  it("counts a collector's spans that name no agent with the rest", async () => {
    const put = await t.request({
      method: 'PUT',
      url: '/v1/telemetry-collectors/gw',
      payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
    const collector = (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/gw/keys' })).json().key;
    const spans = [chat(2, 'support-bot-eu'), ...Array.from({ length: 300 }, (_, i) => chat(100 + i))];
    const res = await t.request({ method: 'POST', url: '/otlp/v1/traces', token: collector, payload: otlpExport(spans) });
    const { rejectedSpans, errorMessage } = res.json().partialSuccess;
    expect(rejectedSpans).toBe('300');
    expect(errorMessage).toMatch(/^span 1: telemetry collector "gw" must say which agent this is from: set gen_ai.agent.name/);
    expect(errorMessage).toMatch(/; and \d+ more spans rejected \(300 in all\)$/);
  });
});
