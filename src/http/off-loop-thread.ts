// The worker thread of off-loop.ts: reads large bodies off the event loop, one task at a time.
import { parentPort } from 'node:worker_threads';
import { FulcrumError } from '../errors.js';
import { mapOtlpBody, PART_SPANS } from '../evidence/otlp-body.js';
import type { Operation } from '../llm/apis.js';
import { prepareCall, readAnswerBytes } from '../llm/prepare.js';
import type { Task, ThreadReply } from './off-loop.js';

const port = parentPort;
if (!port) throw new Error('off-loop-thread.js runs as a worker thread');
const reply = (r: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);

port.on('message', (m: Task & { id: number }) => {
  const { id } = m;
  try {
    if (m.task === 'llm-call') {
      const prepared = prepareCall(m.op as Operation, m.raw);
      reply({ id, result: prepared }, [prepared.rest.buffer as ArrayBuffer]);
    } else if (m.task === 'llm-answer') {
      reply({ id, result: readAnswerBytes(m.op as Operation, m.raw) });
    } else {
      const { spans, rejected } = mapOtlpBody(m.encoding, m.raw);
      for (let i = 0; i < spans.length; i += PART_SPANS) reply({ id, part: spans.slice(i, i + PART_SPANS) });
      reply({ id, result: { rejected } });
    }
  } catch (err) {
    reply({ id, error: { ...(err instanceof FulcrumError ? { code: err.code } : {}), message: (err as Error).message } });
  }
});
