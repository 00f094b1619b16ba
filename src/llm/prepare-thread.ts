// The worker thread of prepare-pool.ts: reads request bodies and whole answers (prepare.ts) off the
// event loop. Each message is one body: a call's (the reply is its Prepared, `rest` handed over,
// not copied, or the InputError's message) or an answer's (its usage, id and model).
import { parentPort } from 'node:worker_threads';
import { FulcrumError } from '../errors.js';
import type { Operation } from './apis.js';
import { prepareCall, readAnswerBytes } from './prepare.js';

const port = parentPort;
if (!port) throw new Error('prepare-thread.js runs as a worker thread');
port.on('message', ({ id, op, raw, answer }: { id: number; op: Operation; raw: Uint8Array; answer?: true }) => {
  if (answer) {
    port.postMessage({ id, answer: readAnswerBytes(op, raw) });
    return;
  }
  try {
    const prepared = prepareCall(op, raw);
    port.postMessage({ id, prepared }, [prepared.rest.buffer as ArrayBuffer]);
  } catch (err) {
    const input = err instanceof FulcrumError && err.code === 'bad_request';
    port.postMessage({ id, error: { input, message: (err as Error).message } });
  }
});
