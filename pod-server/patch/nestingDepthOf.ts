// An IRI reference as Turtle, N3 and SPARQL write it; anything else starting with `<` is an operator (`FILTER(?a < 3)`).
const IRI_REFERENCE = /<[^<>"{}|^`\\\u0000-\u0020]*>/uy;

/**
 * How deeply `{ }`, `( )` and `[ ]` nest in an N3 or SPARQL text, not counting those inside strings, IRIs and comments.
 * Linear, and never recursive: it sizes up texts that would take a recursive parser too long.
 */
export function nestingDepthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '{' || char === '(' || char === '[') {
      depth += 1;
      deepest = Math.max(deepest, depth);
    } else if (char === '}' || char === ')' || char === ']') {
      depth = Math.max(0, depth - 1);
    } else if (char === '"' || char === '\'') {
      index = endOfString(text, index);
      continue;
    } else if (char === '#') {
      const end = text.indexOf('\n', index);
      index = end < 0 ? text.length : end;
      continue;
    } else if (char === '<') {
      IRI_REFERENCE.lastIndex = index;
      if (IRI_REFERENCE.test(text)) {
        index = IRI_REFERENCE.lastIndex;
        continue;
      }
    }
    index += 1;
  }
  return deepest;
}

/** The index just after the string literal that starts at `start` (short or long form, with backslash escapes). */
function endOfString(text: string, start: number): number {
  const quote = text[start];
  const long = text.startsWith(quote.repeat(3), start);
  const closing = long ? quote.repeat(3) : quote;
  let index = start + closing.length;
  while (index < text.length) {
    if (text[index] === '\\') {
      index += 2;
    } else if (text.startsWith(closing, index)) {
      return index + closing.length;
    } else if (!long && text[index] === '\n') {
      // A short string ends at the line's end at the latest (the parser will say it is unterminated).
      return index;
    } else {
      index += 1;
    }
  }
  return index;
}
