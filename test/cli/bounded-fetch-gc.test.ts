// The CLI's timeout holds when a garbage collection runs while a request waits. Node's fetch follows a
// Request's signal through an AbortController it holds only weakly (nodejs/node#55428): the CLI, built
// on fetch, gave a server that never answered 1.5 s and waited 30 s in 3 of 60 tries under load; and
// fetch(new Request(url, { signal })) with gc() every 20 ms never settles (Node 20.20 and 24.22). The
// bounded fetch is made on node:http for that reason; with fetch, this test fails.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/client.js';
import { boundedFetch } from '../../src/cli/fetch.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('the CLI bounded fetch and garbage collection', () => {
  let silent: http.Server;
  let url: string;
  beforeAll(async () => {
    silent = http.createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    silent.closeAllConnections();
    silent.close();
  });

  // With fetch it never gives up: the test's own timeout ends it.
  it('gives up at its timeout though collections run while it waits, and closes the connection', {
    timeout: 10_000,
  }, async () => {
    const opened: Array<Promise<void>> = [];
    silent.on('connection', (socket) => opened.push(new Promise((r) => socket.once('close', () => r()))));
    const answer = boundedFetch(
      url,
      300,
    )(new Request(`${url}/v1/audit`)).then(
      () => 'answered',
      (err: unknown) => err,
    );
    const collect = setInterval(gc, 20);
    try {
      const outcome = await answer;
      expect(outcome).toBeInstanceOf(CliError);
      expect((outcome as Error).message).toBe(
        `Fulcrum at ${url} did not finish answering /v1/audit within 0.3 s (FULCRUM_CLIENT_TIMEOUT_MS)`,
      );
    } finally {
      clearInterval(collect);
    }
    // Nothing stays open to keep a finished command alive.
    expect(opened).toHaveLength(1);
    await opened[0];
  });
});
