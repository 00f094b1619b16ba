// For a test whose expectations hang on today's date (read once, then compared with what the server
// computes later): in the last minute of a UTC day it starts on the next, so both read the same day.
import { until } from './wait.js';

/** Resolves at once, or, within `marginMs` of the next UTC midnight, once that midnight has passed. */
export async function clearOfMidnight(marginMs = 60_000): Promise<void> {
  const midnight = Date.parse(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  if (midnight - Date.now() >= marginMs) return;
  await until(() => Date.now() >= midnight, 'UTC midnight', { timeoutMs: marginMs + 5_000, everyMs: 100 });
}
