import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { ShopifyMappingError } from './ShopifyMappingError';

/**
 * Parses JSON from Shopify without losing digits: REST and webhook bodies carry numeric ids such as
 * `788032119674292922`, past 2^53 where `JSON.parse` rounds them. Integers that do not fit a number exactly become
 * bigints; every other number is a plain number.
 *
 * @throws {@link ShopifyMappingError} with the parser's position when the text is not JSON.
 */
export function parseShopifyJson(text: string | Buffer): unknown {
  try {
    return parse(text.toString(), null, parseNumber);
  } catch (error: unknown) {
    throw new ShopifyMappingError('', `not valid JSON: ${(error as Error).message}`);
  }
}

function parseNumber(value: string): number | bigint {
  return isInteger(value) && !isSafeNumber(value) ? BigInt(value) : Number(value);
}
