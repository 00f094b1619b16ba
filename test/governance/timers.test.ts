// The background timers (monitors, retention): any interval an operator may set is kept, past
// setTimeout's 24.8-day limit too, and a slow run delays the next instead of overlapping it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { every, MAX_TIMER_MS } from '../../src/timers.js';

const HOUR = 3_600_000;

describe('every()', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a monthly job monthly: not after 1 ms, as setInterval does past 2^31 − 1 ms', async () => {
    vi.useFakeTimers();
    const job = vi.fn(async () => undefined);
    const t = every(720 * HOUR, job);
    expect(720 * HOUR).toBeGreaterThan(MAX_TIMER_MS);
    await vi.advanceTimersByTimeAsync(719 * HOUR);
    expect(job).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(job).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(720 * HOUR);
    expect(job).toHaveBeenCalledTimes(2);
    t.stop();
    await vi.advanceTimersByTimeAsync(2000 * HOUR);
    expect(job).toHaveBeenCalledTimes(2);
  });

  it('never runs twice at once: a run slower than the interval delays the next', async () => {
    vi.useFakeTimers();
    let running = 0;
    let most = 0;
    const job = vi.fn(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 250)); // each run takes 2.5 intervals
      running--;
    });
    const t = every(100, job);
    await vi.advanceTimersByTimeAsync(1_000);
    t.stop();
    expect(most).toBe(1);
    // Runs start at 100, 450, 800 (100 wait + 250 run each).
    expect(job).toHaveBeenCalledTimes(3);
  });

  it('keeps going after a failed run', async () => {
    vi.useFakeTimers();
    const job = vi.fn(async () => {
      throw new Error('the database is away');
    });
    const t = every(10, job);
    await vi.advanceTimersByTimeAsync(35);
    t.stop();
    expect(job).toHaveBeenCalledTimes(3);
  });
});

describe('the interval settings', () => {
  it('are bounded, and say so naming the variable', () => {
    expect(loadConfig({ FULCRUM_RETENTION_INTERVAL_HOURS: '720' }).retentionIntervalHours).toBe(720);
    expect(() => loadConfig({ FULCRUM_RETENTION_INTERVAL_HOURS: '9000' })).toThrow(
      'FULCRUM_RETENTION_INTERVAL_HOURS must be at most 8784 (a year), got 9000',
    );
    expect(() => loadConfig({ FULCRUM_MONITOR_INTERVAL_SECONDS: '90000' })).toThrow(
      'FULCRUM_MONITOR_INTERVAL_SECONDS must be at most 86400 (a day), got 90000',
    );
  });
});
