// How `fulcrum serve` stops (docs/operations.md, "Stopping a node"): in a bounded time, whatever
// fails. A close step that rejected ended the process as an unhandled rejection (Node's stack, the
// data directory's pid file left behind); one that never settled (the PostgreSQL pool ending
// connections a frozen host never answers) kept the node running, serving nothing, for good.
import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import type { DataDirLock } from '../db/data-dir-lock.js';
import { stopOffLoop } from '../http/off-loop.js';
import { describeFailures, runStopSteps, stopProgress } from '../stop-steps.js';

/** What writing what the node holds (after its requests' grace) gets at least: the LLM gateway alone waits up to 5 s. */
export const CLOSE_AT_LEAST_MS = 10_000;

/** The whole stop's bound: FULCRUM_SHUTDOWN_GRACE_MS for the requests, then as much (at least 10 s) for the writes. */
export const stopBoundMs = (graceMs: number) => graceMs + Math.max(graceMs, CLOSE_AT_LEAST_MS);

/** Stops the node; resolves with the exit code (0: all written; 1: a step failed). Past the bound it exits 1 itself. */
export async function stopNode(server: FastifyInstance, app: App, lock: DataDirLock | undefined): Promise<number> {
  const progress = stopProgress();
  const boundMs = stopBoundMs(app.config.shutdownGraceMs);
  const say = (line: string) => {
    server.log.error(line);
    // Also said plainly whatever the log level, as the start's lines are.
    process.stderr.write(`fulcrum serve: ${line}\n`);
  };
  const outOfTime = setTimeout(() => {
    say(
      `stopping: ${progress.current ?? 'the stop'} did not finish within ${boundMs / 1000} s ` +
        '(FULCRUM_SHUTDOWN_GRACE_MS, twice, the second at least 10 s); exiting with what it holds unwritten',
    );
    for (const line of describeFailures(progress)) say(`stopping: ${line}`);
    lock?.release();
    process.exit(1);
  }, boundMs);
  await runStopSteps(
    [
      { name: 'closing the HTTP server', run: () => server.close() },
      // What the worker threads still hold is for requests that are answered or cut by now.
      { name: 'stopping the worker threads', run: stopOffLoop },
      ...app.closeSteps(),
    ],
    progress,
  );
  clearTimeout(outOfTime);
  lock?.release();
  if (!progress.failures.length) return 0;
  for (const line of describeFailures(progress)) say(`stopping: ${line}`);
  // What failed may still hold the process (a connection nobody answers): it ends now, not when that does.
  setTimeout(() => process.exit(1), 1000).unref();
  return 1;
}
