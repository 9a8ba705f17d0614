import type { Logger } from '../../util/logger.js';

/**
 * What a sandbox worker writes to stdout/stderr goes to the service log as DATA: one log event
 * per line, attributed (pool, worker pid, stream), with the text in a field, every control
 * character, line separator and stray surrogate escaped, each line cut to `LINE_BYTES`, and at
 * most `BUDGET_BYTES` logged per worker per task (the rest is counted, not logged). A bot that
 * gets code running in a worker can therefore neither forge log lines nor flood the log.
 * The last `TAIL_BYTES` of stderr are kept to explain why a worker failed to start or died.
 */
export const LINE_BYTES = 1000;
export const BUDGET_BYTES = 16 * 1024;
export const TAIL_BYTES = 2000;

/** Escapes everything that could start a new line or steer a terminal; plain text stays readable. */
export function escapeOutput(text: string): string {
  return text.replace(
    // C0 and C1 controls, DEL, U+2028/U+2029, bidi overrides and isolates, lone surrogates.
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export class WorkerOutput {
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private logged = 0;
  private dropped = 0;
  private tail = '';

  constructor(
    private readonly logger: Logger,
    private readonly fields: Record<string, unknown>,
  ) {}

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    if (stream === 'stderr') this.tail = (this.tail + chunk).slice(-TAIL_BYTES);
    let text = this.partial[stream] + chunk;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      this.line(stream, text.slice(0, newline));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    // A line with no end yet: keep at most one line's worth, log the start of an overlong one.
    if (text.length > LINE_BYTES) {
      this.line(stream, text);
      text = '';
    }
    this.partial[stream] = text;
  }

  /** Logs what is pending and how much was dropped; the budget starts again (a new task). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.line(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
    if (this.dropped > 0) {
      this.logger.warn('sandbox worker output over its budget, not logged', {
        ...this.fields,
        droppedBytes: this.dropped,
      });
    }
    this.logged = 0;
    this.dropped = 0;
  }

  /** The end of what the worker wrote to stderr, escaped, for an error message. */
  stderrTail(): string {
    return escapeOutput(this.tail.trim());
  }

  private line(stream: 'stdout' | 'stderr', text: string): void {
    if (text.length === 0) return;
    if (this.logged >= BUDGET_BYTES) {
      this.dropped += text.length + 1;
      return;
    }
    this.logged += Math.min(text.length, LINE_BYTES) + 1;
    const cut = text.length > LINE_BYTES;
    this.logger.warn('sandbox worker output', {
      ...this.fields,
      stream,
      text: escapeOutput(cut ? text.slice(0, LINE_BYTES) : text),
      ...(cut ? { cutFromBytes: text.length } : {}),
    });
  }
}
