/**
 * Group commit: what is submitted while a commit runs waits and goes in the next one, together.
 * There is no timer: an item submitted to an idle committer goes at once (no added latency),
 * and under load each commit carries everything that finished meanwhile, so the transactions
 * (and round trips) per item fall as the rate rises. A tournament's runner stores its finished
 * matches through one (runner.ts). Commits never overlap, so items are committed in the order
 * they were submitted.
 */
export class GroupCommit<I, O> {
  private readonly waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  /**
   * `commit` stores a batch and returns one outcome per item, in order; if it throws, every
   * item of the batch is rejected with the error.
   */
  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Items submitted in the same turn of the event loop go together.
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const out = await this.commit(batch.map((b) => b.item));
        if (out.length !== batch.length) throw new Error('group commit: one outcome per item expected');
        for (const [i, b] of batch.entries()) b.resolve(out[i]!);
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }
}
