/**
 * At most `running` tasks at once and `waiting` more in line; a task beyond that is refused at once (the caller
 * answers "busy, retry") instead of queueing work nobody bounded.
 */
export class Gate {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(
    private readonly running: number,
    private readonly waiting: number,
  ) {}

  /** Runs `task` when a place is free; returns undefined without running it when the line is full. */
  async run<T>(task: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.active >= this.running) {
      if (this.queue.length >= this.waiting) return undefined;
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else this.active++;
    try {
      return { value: await task() };
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
