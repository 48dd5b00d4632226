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
