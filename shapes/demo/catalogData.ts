import { DFC_M, DFC_PT } from '../namespaces';
import type { Product } from '../access/types';

/** A demo product line: name, DFC product type, sale unit and base price in euros. */
interface ProductLine {
  readonly name: string;
  readonly type: string;
  readonly amount: number;
  readonly unit: string;
  readonly euros: number;
}

/** The produce a small mixed vegetable farm sells; 30 lines, the size the issue asks for. */
export const PRODUCT_LINES: readonly ProductLine[] = Object.freeze([
  [ 'Carrots', 'carrot', 1, 'Kilogram', 2.4 ],
  [ 'Bunched carrots', 'carrot', 1, 'Bunch', 2.2 ],
  [ 'Beetroot', 'beetroot', 1, 'Kilogram', 2.6 ],
  [ 'New potatoes', 'potato', 2, 'Kilogram', 3.8 ],
  [ 'Storage potatoes', 'potato', 5, 'Kilogram', 7.5 ],
  [ 'Round tomatoes', 'round-tomato', 1, 'Kilogram', 4.2 ],
  [ 'Heirloom tomatoes', 'hierloom-tomato', 500, 'Gram', 3.9 ],
  [ 'Cherry tomatoes', 'cherry-tomato', 250, 'Gram', 2.8 ],
  [ 'Courgettes', 'courgette', 1, 'Kilogram', 2.9 ],
  [ 'Cucumber', 'cucumber', 1, 'Piece', 1.2 ],
  [ 'Aubergine', 'eggplant', 1, 'Kilogram', 4.5 ],
  [ 'Sweet peppers', 'pepper', 500, 'Gram', 3.6 ],
  [ 'Lettuce', 'lettuce', 1, 'Piece', 1.5 ],
  [ 'Salad mix', 'salad-mix', 200, 'Gram', 3.2 ],
  [ 'Corn salad', 'corn-salad', 150, 'Gram', 2.9 ],
  [ 'Spinach', 'spinach', 500, 'Gram', 3.4 ],
  [ 'Chard', 'chard', 1, 'Bunch', 2.5 ],
  [ 'Kale', 'kale', 1, 'Bunch', 2.7 ],
  [ 'Savoy cabbage', 'savoy-cabbage', 1, 'Piece', 2.8 ],
  [ 'Red cabbage', 'red-cabbage', 1, 'Piece', 2.6 ],
  [ 'Leeks', 'leek', 1, 'Kilogram', 3.5 ],
  [ 'Onions', 'onion', 1, 'Kilogram', 2.3 ],
  [ 'Garlic', 'garlic', 250, 'Gram', 3.8 ],
  [ 'Radishes', 'radish', 1, 'Bunch', 1.6 ],
  [ 'Fennel', 'fennel', 1, 'Kilogram', 3.9 ],
  [ 'Celeriac', 'celeriac', 1, 'Piece', 2.4 ],
  [ 'Red kuri squash', 'uchiki-kuri-squash', 1, 'Piece', 3.5 ],
  [ 'Green beans', 'beans', 500, 'Gram', 3.9 ],
  [ 'Strawberries', 'strawberry', 500, 'Gram', 5.5 ],
  [ 'Free-range eggs', 'egg', 6, 'Piece', 3.2 ],
].map(([ name, type, amount, unit, euros ]): ProductLine =>
  ({ name, type, amount, unit, euros } as ProductLine)));

/** A resource name from a product name and its sale unit, e.g. `carrots-1-kilogram`. */
export function productSlug(line: ProductLine, index?: number): string {
  const base = `${line.name}-${line.amount}-${line.unit}`.toLowerCase().replace(/[^a-z0-9]+/gu, '-');
  return index === undefined ? base : `${base}-${index}`;
}

/** Builds the typed product for a line; `variant` makes slugs and SKUs unique for generated sets. */
export function productFromLine(line: ProductLine, position: number, variant?: number): Product {
  return {
    slug: productSlug(line, variant),
    name: line.name,
    description: `${line.name}, ${line.amount} ${line.unit.toLowerCase()}, grown on the farm.`,
    productType: DFC_PT(line.type),
    quantity: { value: line.amount, unit: DFC_M(line.unit) },
    sku: `VAL-${String(position + 1).padStart(4, '0')}`,
    // Stock varies but stays deterministic, so tests and benchmarks are repeatable.
    stock: (position * 7) % 40,
    price: { value: line.euros, currency: DFC_M('Euro'), vatRate: 5.5 },
  };
}

/**
 * Generates `n` distinct valid products for benchmarks, cycling through the 30 demo lines.
 * Pure and deterministic.
 */
export function generateProducts(n: number): Product[] {
  return Array.from({ length: n }, (_, index): Product => productFromLine(
    PRODUCT_LINES[index % PRODUCT_LINES.length],
    index,
    n > PRODUCT_LINES.length ? index : undefined,
  ));
}
