import type { TransferProgress } from '../client/PortabilityApi';

/** Prints `data` as JSON with `--json`, else as the human text `describe` makes of it. */
export function printResult<T>(data: T, json: boolean, describe: (data: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${describe(data)}\n`);
}

/** Lays rows out as aligned columns under a header. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column): number =>
    Math.max(title.length, ...rows.map((row): number => (row[column] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, column): string => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [ line(header), ...rows.map(line) ].join('\n');
}

/** Bytes as megabytes with one decimal, e.g. `8.7 MB`. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A line of progress on stderr, so stdout keeps only the result. */
export function printProgress(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Transfer progress on stderr: rewritten in place on a terminal, one line per update otherwise. */
export function transferProgressLine(verb: string): (progress: TransferProgress) => void {
  return (progress): void => {
    const of = progress.total === undefined ? '' : `/${progress.total}`;
    const text = `${progress.done ? `${verb} done` : verb}: ${megabytes(progress.bytes)}, ${progress.resources}${of} resources`;
    if (process.stderr.isTTY) {
      process.stderr.write(progress.done ? `\r${text}\n` : `\r${text}`);
    } else {
      process.stderr.write(`${text}\n`);
    }
  };
}
