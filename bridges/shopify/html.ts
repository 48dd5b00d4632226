/**
 * Plain text ↔ the small HTML Shopify keeps in `descriptionHtml`. Pod descriptions are plain text, so going out every
 * character is escaped (a description can never inject markup into a shop), and coming back tags are dropped and
 * entities decoded. Paragraphs (blank lines) and line breaks survive the round trip.
 */

const ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;',
});
const NAMED_ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0',
});

/** Escapes text for HTML; a cheap test first, since most descriptions need nothing replaced. */
export function escapeHtml(text: string): string {
  return /[&<>"']/u.test(text) ? text.replace(/[&<>"']/gu, (character): string => ESCAPES[character]) : text;
}

/** A plain-text description as HTML: one `<p>` per paragraph, `<br>` for single line breaks. */
export function descriptionToHtml(text: string): string {
  return text.trim().split(/\r?\n\s*\r?\n/u)
    .map((paragraph): string => `<p>${escapeHtml(paragraph.trim()).replace(/\r?\n/gu, '<br>')}</p>`)
    .join('');
}

/** Shopify's description HTML as plain text: block ends become line breaks, other tags go, entities are decoded. */
export function htmlToDescription(html: string): string {
  return decodeEntities(html
    .replace(/<br\s*\/?>/giu, '\n')
    .replace(/<\/(p|div|h[1-6]|li|ul|ol|blockquote)>\s*/giu, '\n\n')
    .replace(/<[^>]*>/gu, ''))
    .replace(/[ \t]+\n/gu, '\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/giu, (entity, body: string): string => {
    if (body.startsWith('#x') || body.startsWith('#X')) {
      return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    }
    if (body.startsWith('#')) {
      return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
