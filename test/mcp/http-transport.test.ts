// The gateway's Streamable HTTP client transport against a real HTTP server that answers the way
// MCP servers do, including the awkward parts: SSE events split across chunks, CRLF line ends,
// priming events with no data, comments, multi-line data, events that are not messages, a session
// id, HTTP errors and answers that are not JSON-RPC, and streams that go on after the answer or past
// the bound.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STREAM_DROPPED_MAX,
  STREAM_MESSAGES_BURST,
  STREAM_MESSAGES_PER_SECOND,
  UpstreamHttpTransport,
} from '../../src/mcp/http-transport.js';
import { importSdk } from '../../src/mcp/sdk.js';
import { createOutboundPolicy } from '../../src/net/outbound.js';
import { until as waitUntil } from '../support/wait.js';

// The server is on 127.0.0.1: the operator allows it (test/security covers refusing it).
const outbound = createOutboundPolicy({ allowHosts: [{ host: '127.0.0.1' }] });

type Handler = (body: { id?: number; method?: string }, res: http.ServerResponse, req: http.IncomingMessage) => void;

describe('the gateway transport to an upstream over Streamable HTTP', () => {
  let server: http.Server;
  let url: URL;
  let handler: Handler = () => {};
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen.push(req.headers);
        handler(JSON.parse(body), res, req);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function transport() {
    const t = new UpstreamHttpTransport(url, JSONRPCMessageSchema, { outbound });
    const messages: unknown[] = [];
    const errors: Error[] = [];
    t.onmessage = (m) => messages.push(m);
    t.onerror = (e) => errors.push(e);
    return { t, messages, errors };
  }
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('reads an SSE answer whatever the chunks, skipping priming events, comments and other events', async () => {
    const result = (id: number, text: string) =>
      JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'mcp-session-id': 'sess-1' });
      const stream = [
        'id: prime-1\r\ndata: \r\n\r\n', // a priming event: an id, no data
        ': keep-alive comment\n\n',
        'event: other\ndata: {"not":"a message"}\n\n',
        `event: message\r\nid: 7\r\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } })}\r\n\r\n`,
        `data: ${result(body.id as number, 'first line')}\n\n`,
      ].join('');
      // Cut it everywhere, including inside "\r\n\r\n" and inside the JSON.
      let at = 0;
      const write = () => {
        if (at >= stream.length) return void res.end();
        res.write(stream.slice(at, at + 7));
        at += 7;
        setImmediate(write);
      };
      write();
    };
    const { t, messages, errors } = transport();
    await t.send({ jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'x' } });
    await until(() => messages.length >= 2);
    expect(errors).toEqual([]);
    expect(messages).toEqual([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
      { jsonrpc: '2.0', id: 41, result: { content: [{ type: 'text', text: 'first line' }] } },
    ]);
    expect(t.sessionId).toBe('sess-1');
  });

  it('reads the same messages from a stream of many events however it is cut, several events to a chunk or not', async () => {
    const note = (i: number) => ({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: `step ${i}` },
    });
    // The three ways an event may end, and the three line ends, in turn.
    const ends = ['\n\n', '\r\n\r\n', '\r\r'];
    const event = (m: unknown, i: number) => {
      const eol = ends[i % 3]?.slice(0, ends[i % 3]!.length / 2);
      return `event: message${eol}data: ${JSON.stringify(m)}${ends[i % 3]}`;
    };
    const notes = Array.from({ length: 40 }, (_, i) => note(i));
    for (const cut of [2, 3, 4, 5, 8, 61, 1000, Number.POSITIVE_INFINITY]) {
      handler = (body, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const answer = { jsonrpc: '2.0', id: body.id, result: { content: [] } };
        const stream = [...notes, answer].map(event).join('');
        let at = 0;
        const write = () => {
          if (at >= stream.length) return void res.end();
          res.write(stream.slice(at, at + cut));
          at += cut;
          setImmediate(write);
        };
        write();
      };
      const { t, messages, errors } = transport();
      await t.send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'x' } });
      await waitUntil(() => messages.length > notes.length, `the answer, cut every ${cut}`);
      expect(errors, `cut every ${cut}`).toEqual([]);
      expect(messages, `cut every ${cut}`).toEqual([...notes, { jsonrpc: '2.0', id: 5, result: { content: [] } }]);
      await t.close();
    }
  });

  it('hands on a burst of messages and then a rate, drops the rest of a stream unread, and still delivers its answer', async () => {
    const FLOOD = STREAM_MESSAGES_BURST + 2000;
    const PINGS = 300;
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let stream = '';
      for (let i = 0; i < FLOOD; i++)
        stream += `data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"${i}"}}\n\n`;
      for (let i = 0; i < PINGS; i++) stream += `data: {"jsonrpc":"2.0","id":"ping-${i}","method":"ping"}\n\n`;
      res.end(`${stream}data: ${JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { content: [] } })}\n\n`);
    };
    const dropped: Array<{ kind: string; first: boolean }> = [];
    const t = new UpstreamHttpTransport(url, JSONRPCMessageSchema, {
      outbound,
      onDropped: (kind, first) => dropped.push({ kind, first }),
    });
    const messages: Array<{ id?: unknown }> = [];
    t.onmessage = (m) => messages.push(m as { id?: unknown });
    const started = performance.now();
    await t.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'x' } });
    await waitUntil(() => messages.at(-1)?.id === 8, 'the answer after the flood');
    const seconds = (performance.now() - started) / 1000;
    expect(messages.at(-1)).toEqual({ jsonrpc: '2.0', id: 8, result: { content: [] } });
    const handedOn = messages.length - 1;
    // Every message is either handed on or dropped; no more are handed on than the burst and the rate allow.
    expect(handedOn + dropped.length).toBe(FLOOD + PINGS);
    expect(handedOn).toBeGreaterThanOrEqual(STREAM_MESSAGES_BURST);
    expect(handedOn).toBeLessThanOrEqual(STREAM_MESSAGES_BURST + Math.ceil(seconds * STREAM_MESSAGES_PER_SECOND));
    expect(dropped.filter((d) => d.first)).toEqual([{ kind: 'notification', first: true }]);
    expect(dropped.filter((d) => d.kind === 'request').length).toBeGreaterThan(0);
    await t.close();
  });

  it(`closes a stream that goes on past ${STREAM_DROPPED_MAX} dropped messages, failing what waits on it`, async () => {
    let hungUp: () => void = () => {};
    const hangUp = new Promise<void>((r) => {
      hungUp = r;
    });
    handler = (_body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.on('close', hungUp);
      const chunk = 'data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}\n\n'.repeat(
        500,
      );
      const more = () => {
        while (!res.destroyed) if (!res.write(chunk)) return void res.once('drain', more);
      };
      more();
    };
    const { t, errors } = transport();
    let closed = false;
    t.onclose = () => {
      closed = true;
    };
    await t.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'x' } });
    await hangUp;
    expect(closed).toBe(true);
    expect(errors.map((e) => e.message)).toEqual([
      `the upstream sent more than ${STREAM_DROPPED_MAX} messages past the rate read on one answer's stream (${STREAM_MESSAGES_BURST} at once, ${STREAM_MESSAGES_PER_SECOND} a second): closed`,
    ]);
  });

  it('joins multi-line data, and sends the session and protocol version it was given', async () => {
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const json = JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { content: [] } }, null, 1).split('\n');
      res.end(`${json.map((l) => `data: ${l}`).join('\n')}\n\n`);
    };
    const { t, messages } = transport();
    t.sessionId = 'sess-2';
    t.setProtocolVersion('2025-11-25');
    await t.send({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    await until(() => messages.length >= 1);
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 3, result: { content: [] } }]);
    expect(seen.at(-1)).toMatchObject({ 'mcp-session-id': 'sess-2', 'mcp-protocol-version': '2025-11-25' });
  });

  it('reads a JSON answer, takes 202 for a notification, and says what an HTTP error said', async () => {
    const { t, messages } = transport();
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: {} }));
    };
    await t.send({ jsonrpc: '2.0', id: 9, method: 'ping' });
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 9, result: {} }]);
    handler = (_body, res) => res.writeHead(202).end();
    await t.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    handler = (_body, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('Session not found');
    // The body is kept apart, for the server log: never in the message a caller could see.
    const failed = await t.send({ jsonrpc: '2.0', id: 10, method: 'ping' }).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      message: 'Streamable HTTP error: Error POSTing to endpoint: HTTP 404',
      body: 'Session not found',
    });
  });

  it('fails on an answer that is not JSON-RPC: a JSON body at once, an SSE event through onerror', async () => {
    const { t, errors } = transport();
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc": "2.0",');
    await expect(t.send({ jsonrpc: '2.0', id: 1, method: 'ping' })).rejects.toThrow(SyntaxError);
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: {"hello": "world"}\n\n');
    await t.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await until(() => errors.length >= 2);
    expect(errors[1]?.name).toBe('ZodError');
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    await expect(t.send({ jsonrpc: '2.0', id: 3, method: 'ping' })).rejects.toThrow(/Unexpected content type: text\/html/);
  });

  it('stops reading an SSE stream once it carried the answer; an event past the bound closes the transport', async () => {
    // After the answer, the upstream goes on sending events: Fulcrum reads a little more, then hangs up.
    let written = 0;
    let hungUp: () => void = () => {};
    const hangUp = new Promise<void>((r) => {
      hungUp = r;
    });
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: body.id, result: {} })}\n\n`);
      res.on('close', hungUp);
      const more = () => {
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += 1024;
          if (!res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { p: 'a'.repeat(1000) } })}\n\n`))
            return void res.once('drain', more);
        }
      };
      more();
    };
    const { t, messages } = transport();
    await t.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await hangUp;
    expect(messages[0]).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    expect(written).toBeLessThan(16 * 1024 * 1024);

    // An event over the bound: the transport reports it and closes, failing what waits on it.
    const small = new UpstreamHttpTransport(url, JSONRPCMessageSchema, { outbound, maxResponseBytes: 1000 });
    const errors: Error[] = [];
    let closed = false;
    small.onerror = (e) => errors.push(e);
    small.onclose = () => {
      closed = true;
    };
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`data: "${'a'.repeat(2000)}"\n\n`);
    await small.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await until(() => closed);
    expect(closed).toBe(true);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('an SSE event longer than 1000')]);
  });

  it('gives up its open requests when closed', async () => {
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': waiting\n\n'); // never ends
    const { t } = transport();
    let closed = false;
    t.onclose = () => {
      closed = true;
    };
    // A request's send settles when its stream is done with it (see the next test); here, at close.
    const at = seen.length;
    const sent = t.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow' } });
    await until(() => seen.length > at);
    await t.close();
    await sent;
    expect(closed).toBe(true);
    await expect(t.send({ jsonrpc: '2.0', id: 2, method: 'ping' })).rejects.toThrow('Not connected');
  });
  it("delivers only the answer to the request its POST carried: another id's fails that request, JSON or SSE", async () => {
    const answer = (id: unknown) => ({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `for ${id}` }] } });
    const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
    const crossed = 'Streamable HTTP error: the upstream answered request 5 with a response for request 6: not delivered';
    const { t, messages, errors } = transport();
    handler = (body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(body.id! + 1)));
    await expect(t.send({ jsonrpc: '2.0', id: 5, method: 'ping' })).rejects.toThrow(crossed);
    // A batch: this request's answer is delivered, another's dropped (and reported).
    handler = (body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([answer(99), answer(body.id)]));
    await t.send({ jsonrpc: '2.0', id: 7, method: 'ping' });
    // An answer with no response in it fails its request at once, not at its timeout.
    handler = (_body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([progress]));
    await expect(t.send({ jsonrpc: '2.0', id: 8, method: 'ping' })).rejects.toThrow('held no response to it');
    // SSE: what comes before is delivered; the crossed answer is not, and nothing after it is read.
    handler = (body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end([progress, answer(body.id! + 1), answer(body.id)].map((m) => `data: ${JSON.stringify(m)}\n\n`).join(''));
    };
    await expect(t.send({ jsonrpc: '2.0', id: 5, method: 'ping' })).rejects.toThrow(crossed);
    // A numeric id's string form is the same request (the SDK 1.x client reads ids with Number()).
    handler = (body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(String(body.id))));
    await t.send({ jsonrpc: '2.0', id: 9, method: 'ping' });
    expect(messages).toEqual([answer(7), progress, progress, answer('9')]);
    expect(errors.map((e) => e.message)).toEqual([
      crossed,
      'Streamable HTTP error: the upstream answered request 7 with a response for request 99: not delivered',
      "Streamable HTTP error: the upstream's reply to request 8 held no response to it",
      crossed,
    ]);
  });
});

describe("the transport's message parser", () => {
  // The union's answer and its refusals, for every shape an upstream can send (see sdk.ts).
  const outcome = (parse: (v: unknown) => unknown, v: unknown) => {
    try {
      return { ok: parse(v) };
    } catch (err) {
      return { error: String((err as Error).message) };
    }
  };
  it('answers what JSONRPCMessageSchema answers, and refuses what it refuses, with the same error', async () => {
    const { messageParser } = await importSdk();
    const messages: unknown[] = [
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'x' }] } },
      { jsonrpc: '2.0', id: 'a', error: { code: -32602, message: 'no', data: { why: 1 } } },
      { jsonrpc: '2.0', id: 2, method: 'sampling/createMessage', params: {} },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 2 } },
      { jsonrpc: '2.0', id: 3, result: {}, extra: true },
      { jsonrpc: '2.0', id: 3, result: {}, error: { code: 1, message: 'both' } },
      { jsonrpc: '2.0', id: 4, method: 'x', result: {} },
      { jsonrpc: '2.0', method: 'x', id: 1.5 },
      { jsonrpc: '1.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse' } },
      { jsonrpc: '2.0' },
      [],
      null,
      'text',
    ];
    for (const m of messages)
      expect(
        outcome((v) => messageParser.parse(v), m),
        JSON.stringify(m),
      ).toEqual(outcome((v) => JSONRPCMessageSchema.parse(v), m));
  });
});
