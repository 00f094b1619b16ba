// Background writes wait for a moment no request is in flight (src/http/quiet.ts), on a real HTTP
// server: at once when the process is idle, when the last request's response closes, and after
// their longest wait when requests keep coming.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestsInFlight, trackRequest, waitingForQuiet, whenQuiet } from '../../src/http/quiet.js';
import { until } from '../support/wait.js';

describe('background work at a quiet moment', () => {
  let server: http.Server;
  let url: string;
  /** Responses held open by the test: one call answers them. */
  const held: http.ServerResponse[] = [];
  const answer = () => {
    for (const res of held.splice(0)) res.end('done');
  };

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      trackRequest(res);
      held.push(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    answer();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const call = () => fetch(url).then((r) => r.text());
  /** A call the server holds open: resolves once it has arrived, with its answer to come. */
  const heldCall = async () => {
    const pending = call();
    await until(() => held.length === 1, 'the request to arrive');
    return { pending };
  };
  /** Queues work that notes how many requests were in flight when it ran. */
  const noteWhenQuiet = (maxWaitMs: number) => {
    const seen: { inFlight?: number } = {};
    whenQuiet(() => {
      seen.inFlight = requestsInFlight();
    }, maxWaitMs);
    return seen;
  };

  it('runs at once when no request is in flight', async () => {
    expect(requestsInFlight()).toBe(0);
    let ran = false;
    whenQuiet(() => {
      ran = true;
    }, 60_000);
    await until(() => ran, 'the work to run');
  });

  it('waits while a request is in flight, and runs once its response is sent', async () => {
    const { pending } = await heldCall();
    const seen = noteWhenQuiet(60_000);
    // Turns of the event loop pass with the request in flight: the work waits.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(seen.inFlight).toBeUndefined();
    answer();
    expect(await pending).toBe('done');
    await until(() => seen.inFlight !== undefined, 'the work to run after the answer');
    expect(seen.inFlight).toBe(0);
  });

  it('runs after its longest wait when the process never goes quiet', async () => {
    const { pending } = await heldCall();
    const seen = noteWhenQuiet(50);
    await until(() => seen.inFlight !== undefined, 'the work to run after its longest wait');
    // It ran with the request still open, and is no longer held (a node under steady load is never
    // quiet: work that ran on its deadline must not pile up waiting for a moment that never comes).
    expect(seen.inFlight).toBe(1);
    expect(waitingForQuiet()).toBe(0);
    answer();
    expect(await pending).toBe('done');
    await until(() => requestsInFlight() === 0, 'the request to close');
  });

  it('counts a request whose client went away as finished', async () => {
    const gone = new AbortController();
    const pending = fetch(url, { signal: gone.signal }).catch(() => 'aborted');
    await until(() => held.length === 1, 'the request to arrive');
    expect(requestsInFlight()).toBe(1);
    gone.abort();
    expect(await pending).toBe('aborted');
    await until(() => requestsInFlight() === 0, 'the abandoned request to stop counting');
    held.splice(0);
  });
});
