/**
 * Runs executions in the background, after the request that started them has been answered: each run is an async
 * task that paces itself with {@link RunControl.pause} (`executionDelayMs` per step), notices a cancel between
 * steps, and stops when the emulator closes. What a run does (read rows, deliver, write files) is the caller's.
 */

/** Statuses after which an execution never changes (`interrupted`: the emulator stopped during the run). */
export const FINAL_STATUSES: readonly string[] = ["completed", "canceled", "failed", "interrupted", "errors"];

/** Whether an execution status is final. */
export const isFinalStatus = (status: string): boolean => FINAL_STATUSES.includes(status);

/** The runner's settings (emulator options). */
export interface RunnerSettings {
  /** How long each step of a run takes: queued → running, each batch, processing → done. */
  readonly executionDelayMs: number;
  /** Deliver to any host, not only loopback ones. */
  readonly allowRemoteDelivery: boolean;
  /** How long one delivery request may take. */
  readonly deliveryTimeoutMs: number;
}

/** What a running task sees of its run. */
export interface RunControl {
  /** Aborted when the emulator closes: in-flight requests stop. */
  readonly closing: AbortSignal;
  /** Whether a cancel was asked for (the task finishes as `canceled` at its next step). */
  readonly canceled: boolean;
  /** Whether the emulator is closing. */
  readonly closed: boolean;
  /** Waits `executionDelayMs`; ends early on cancel or close. */
  pause(): Promise<void>;
}

interface Run extends RunControl {
  canceled: boolean;
  wake(): void;
}

/** The background runs of one emulator. */
export class ExecutionRunner {
  private readonly runs = new Map<string, Run>();
  private readonly closer = new AbortController();

  constructor(
    readonly settings: RunnerSettings,
    private readonly persist: () => void,
    private readonly log?: (line: string) => void,
  ) {}

  /** Starts `task` for execution `id` on the next tick. `onCrash` records an unexpected error as the outcome. */
  launch(id: string, task: (control: RunControl) => Promise<void>, onCrash: (error: unknown) => void): void {
    const closing = this.closer.signal;
    const delay = this.settings.executionDelayMs;
    const run: Run = {
      closing,
      canceled: false,
      get closed() {
        return closing.aborted;
      },
      wake: () => undefined,
      pause: () =>
        new Promise<void>((resolve) => {
          if (run.canceled || closing.aborted) return resolve();
          const timer = setTimeout(done, delay);
          function done() {
            clearTimeout(timer);
            closing.removeEventListener("abort", done);
            run.wake = () => undefined;
            resolve();
          }
          run.wake = done;
          closing.addEventListener("abort", done, { once: true });
        }),
    };
    this.runs.set(id, run);
    setImmediate(() => {
      if (closing.aborted) return;
      task(run)
        .catch((error: unknown) => {
          if (!closing.aborted) {
            this.log?.(`execution ${id}: ${(error as Error)?.message ?? String(error)}`);
            onCrash(error);
          }
        })
        .finally(() => {
          this.runs.delete(id);
          if (!closing.aborted) this.persist();
        });
    });
  }

  /** Asks the run of execution `id` to stop at its next step; false when no run of that id is going. */
  cancel(id: string): boolean {
    const run = this.runs.get(id);
    if (run === undefined) return false;
    run.canceled = true;
    run.wake();
    return true;
  }

  /** Whether a run of execution `id` is going. */
  isRunning(id: string): boolean {
    return this.runs.has(id);
  }

  /** Saves the state (after a step changed it). */
  changed(): void {
    if (!this.closer.signal.aborted) this.persist();
  }

  /** Stops every run: pauses end, in-flight requests are aborted, nothing more is recorded. */
  close(): void {
    this.closer.abort();
    this.runs.clear();
  }
}
