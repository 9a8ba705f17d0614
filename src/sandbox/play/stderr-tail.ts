/** Keeps the last bytes a bot wrote to stderr over a whole match, each move's output marked with its round. */
export class StderrTail {
  private text = '';
  constructor(private readonly keep = 4096) {}

  add(round: number, output: string): void {
    if (!output) return;
    this.text += `[${round === 0 ? 'start' : `round ${round}`}] ${output}${output.endsWith('\n') ? '' : '\n'}`;
    if (this.text.length > this.keep * 2) this.text = this.text.slice(-this.keep);
  }

  value(): string {
    return this.text.length > this.keep ? this.text.slice(-this.keep) : this.text;
  }
}
