// The `redline` command's exit codes, documented in `redline --help` and the README.
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  rejected: 3,
  timeout: 4,
} as const;
