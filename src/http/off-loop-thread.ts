// A worker thread of off-loop.ts (one per kind of work): reads large bodies off the event loop, or
// draws a PDF report, one task at a time.
import { parentPort } from 'node:worker_threads';
import { FulcrumError } from '../errors.js';
import { mapOtlpBody, PART_SPANS } from '../evidence/otlp-body.js';
import type { BoardReport } from '../insight/report.js';
import type { Operation } from '../llm/apis.js';
import { prepareCall, readAnswerBytes } from '../llm/prepare.js';
import type { NextPart, Task, ThreadReply } from './off-loop.js';

const port = parentPort;
if (!port) throw new Error('off-loop-thread.js runs as a worker thread');
const reply = (r: ThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
/** Results sent in parts, by task: the parts not asked for yet, then the final result. */
const partsLeft = new Map<number, { parts: unknown[][]; result: unknown }>();

port.on('message', (m: (Task & { id: number }) | NextPart) => {
  const { id } = m;
  if (m.task === 'next') {
    const left = partsLeft.get(id);
    const part = left?.parts.shift();
    if (part) reply({ id, part });
    else if (left) {
      partsLeft.delete(id);
      reply({ id, result: left.result });
    }
    return;
  }
  if (m.task === 'test-hold') {
    // Tests only (off-loop.ts holdThread): a thread busy, then dying in each way a real one can.
    Atomics.wait(m.gate, 0, 0);
    if (m.then === 'exit') process.exit(7);
    if (m.then === 'throw') throw new Error('thrown by test-hold');
    if (m.then === 'allocate') {
      const held: number[][] = [];
      for (;;) held.push(new Array(1e6).fill(held.length));
    }
    reply({ id, result: 'released' });
    return;
  }
  if (m.task === 'report-pdf') {
    // PDFKit and its fonts load with the first PDF this thread draws.
    import('../insight/report-pdf.js')
      .then(({ renderPdf }) => renderPdf(m.report as BoardReport))
      .then(
        (pdf) => reply({ id, result: pdf }),
        (err: Error) => reply({ id, error: { message: err.message } }),
      );
    return;
  }
  try {
    if (m.task === 'llm-call') {
      const prepared = prepareCall(m.op as Operation, m.raw);
      reply({ id, result: prepared }, [prepared.rest.buffer as ArrayBuffer]);
    } else if (m.task === 'llm-answer') {
      reply({ id, result: readAnswerBytes(m.op as Operation, m.raw) });
    } else {
      const { spans, ...rejected } = mapOtlpBody(m.encoding, m.raw);
      const parts: unknown[][] = [];
      for (let i = 0; i < spans.length; i += PART_SPANS) parts.push(spans.slice(i, i + PART_SPANS));
      const first = parts.shift();
      if (!first) reply({ id, result: rejected });
      else {
        partsLeft.set(id, { parts, result: rejected });
        reply({ id, part: first });
      }
    }
  } catch (err) {
    reply({ id, error: { ...(err instanceof FulcrumError ? { code: err.code } : {}), message: (err as Error).message } });
  }
});
