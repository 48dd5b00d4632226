/** Where bridges say what they did: one line each, never a secret. */
export interface BridgeLog {
  info: (message: string) => void;
  warn: (message: string) => void;
}

const LEVELS = [ 'error', 'warn', 'info', 'verbose', 'debug' ];

/** A log on stderr with a time stamp, at `level` (as the server's `--log-level`). */
export function consoleBridgeLog(level = 'info'): BridgeLog {
  const rank = LEVELS.indexOf(level);
  const write = (kind: string, message: string): void => {
    process.stderr.write(`${new Date().toISOString()} [bridge] ${kind}: ${message}\n`);
  };
  return {
    info: (message): void => rank >= 2 ? write('info', message) : undefined,
    warn: (message): void => rank >= 1 ? write('warn', message) : undefined,
  };
}
