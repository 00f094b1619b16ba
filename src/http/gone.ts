import type { FastifyReply } from 'fastify';

/** Aborted when the client's connection closes before its answer is complete (the client went away). */
export function goneSignal(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}
