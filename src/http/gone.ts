import type { FastifyReply } from 'fastify';

/** Aborted when the client's connection closes before its answer is complete (the client went away). */
export function goneSignal(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  // Gone already (before authentication and the body were through): 'close' will not come again.
  if (reply.raw.destroyed && !reply.raw.writableFinished) gone.abort();
  else
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) gone.abort();
    });
  return gone.signal;
}
