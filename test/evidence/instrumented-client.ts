// Runs fixtures/instrumented-gateway.cjs, a real client with the instrumentation `which` (otel,
// traceloop, openinference, langchain) in a child Node, its settings in `env` (OPENAI_BASE_URL,
// FULCRUM_OTLP_URL, FULCRUM_KEY, MODEL, STREAM, EMBED): the calls it makes and the spans it exports.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CHILD_NODE } from '../support/process.js';

const SCRIPT = path.resolve(import.meta.dirname, 'fixtures/instrumented-gateway.cjs');

export async function runInstrumentedClient(which: string, env: Record<string, string>): Promise<void> {
  await promisify(execFile)(CHILD_NODE, [SCRIPT, which], { env: { ...process.env, ...env }, timeout: 60_000 });
}
