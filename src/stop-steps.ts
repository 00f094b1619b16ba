// A process's stop as named steps: each step runs whatever became of the ones before it, a failure is
// kept under its step's name, and the step under way is known, to name it should the stop run out of time.

export interface StopStep {
  name: string;
  run(): Promise<unknown> | unknown;
}

export interface StopProgress {
  /** The step under way; undefined before the first and after the last. */
  current?: string;
  readonly failures: { step: string; error: unknown }[];
}

export const stopProgress = (): StopProgress => ({ failures: [] });

export async function runStopSteps(steps: readonly StopStep[], progress: StopProgress): Promise<void> {
  for (const step of steps) {
    progress.current = step.name;
    try {
      await step.run();
    } catch (error) {
      progress.failures.push({ step: step.name, error });
    }
  }
  progress.current = undefined;
}

/** One line per failure: "<step>: <message>". */
export function describeFailures(progress: StopProgress): string[] {
  return progress.failures.map(({ step, error }) => `${step} failed: ${error instanceof Error ? error.message : String(error)}`);
}
