/** An expected CLI failure: printed as one line, exits with `exitCode`, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad usage (missing file, bad option): exit code 2, like most Unix tools. */
export const usageError = (message: string) => new CliError(message, 2);
