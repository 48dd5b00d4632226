/** Text made safe for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/gu, (char): string => `&#${char.charCodeAt(0)};`);
}

/** HTML that is already safe: built only by {@link html} or from escaped values. */
export class SafeHtml {
  public constructor(public readonly value: string) {}

  public toString(): string {
    return this.value;
  }
}

type Interpolated = SafeHtml | string | number | undefined | null | false | Interpolated[];

function render(value: Interpolated): string {
  if (value === undefined || value === null || value === false) {
    return '';
  }
  if (Array.isArray(value)) {
    return value.map(render).join('');
  }
  return value instanceof SafeHtml ? value.value : escapeHtml(value);
}

/** A template tag that escapes every interpolated value unless it is SafeHtml (so nothing unescaped slips in). */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, index): void => {
    out += render(value) + strings[index + 1];
  });
  return new SafeHtml(out);
}
