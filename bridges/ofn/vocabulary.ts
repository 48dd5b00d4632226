import { DFC_B, DFC_M, DFC_PT } from '../../shapes/namespaces';

/**
 * The DFC terms the Open Food Network bridge writes and reads, as constants. The DFC taxonomies (measures, product
 * types) are not bundled: the units and types the bridge maps are carried here with their IRIs (DFC taxonomies
 * v1.3.0, AGPL-3.0, as `../shared/reference/dfc/taxonomies/` holds them).
 */

/** The context every document the bridge sends names, as OFN's DFC API does (served locally by `shapes/DfcDocumentLoader`). */
export const DFC_CONTEXT = 'https://w3id.org/dfc/ontology/context/context_1.16.0.json';

/** The prefixes of the 1.16 context, to write compact IRIs as OFN does (`dfc-m:Gram`). */
export const DFC_PREFIXES: Readonly<Record<string, string>> = Object.freeze({
  'dfc-b': DFC_B(''),
  'dfc-m': DFC_M(''),
  'dfc-pt': DFC_PT(''),
});

/** OFN's own vocabulary for its extensions (`ofn:spree_product_id`); the 1.16 context does not define the prefix. */
export const OFN_PREFIX = 'ofn:';

/** How OFN stores a DFC quantity unit: a measure and the unit's size in OFN's base unit (gram, litre, one item). */
export interface OfnMeasure {
  readonly measure: 'weight' | 'volume' | 'items';
  /** Grams, litres or items in one of this unit. */
  readonly scale: number;
}

/**
 * The DFC quantity units OFN maps to its weights and volumes (OFN's `QuantitativeValueBuilder.map_unit`). OFN answers
 * weights in grams and volumes in litres; every other unit becomes "items" and comes back as pieces.
 */
export const OFN_MEASURES: Readonly<Record<string, OfnMeasure>> = Object.freeze({
  [DFC_M('Litre')]: { measure: 'volume', scale: 1 },
  [DFC_M('Millilitre')]: { measure: 'volume', scale: 0.001 },
  [DFC_M('Centilitre')]: { measure: 'volume', scale: 0.01 },
  [DFC_M('Decilitre')]: { measure: 'volume', scale: 0.1 },
  [DFC_M('Gallon')]: { measure: 'volume', scale: 4.54609 },
  [DFC_M('Milligram')]: { measure: 'weight', scale: 0.001 },
  [DFC_M('Gram')]: { measure: 'weight', scale: 1 },
  [DFC_M('Kilogram')]: { measure: 'weight', scale: 1000 },
  [DFC_M('Tonne')]: { measure: 'weight', scale: 1_000_000 },
  [DFC_M('PoundMass')]: { measure: 'weight', scale: 453.59237 },
  [DFC_M('Pair')]: { measure: 'items', scale: 2 },
  [DFC_M('4Pack')]: { measure: 'items', scale: 4 },
  [DFC_M('6Pack')]: { measure: 'items', scale: 6 },
  [DFC_M('HalfDozen')]: { measure: 'items', scale: 6 },
  [DFC_M('Dozen')]: { measure: 'items', scale: 12 },
});

/** The unit OFN answers each measure in. */
export const OFN_BASE_UNITS: Readonly<Record<OfnMeasure['measure'], string>> = Object.freeze({
  weight: DFC_M('Gram'),
  volume: DFC_M('Litre'),
  items: DFC_M('Piece'),
});

/** How OFN stores a unit: any unit it does not map is one item. */
export function ofnMeasureOf(unit: string): OfnMeasure {
  return OFN_MEASURES[unit] ?? { measure: 'items', scale: 1 };
}

/** The five DFC currencies (OFN maps them to AUD, CAD, EUR, GBP, USD). */
export const DFC_CURRENCIES: readonly string[] = Object.freeze([
  DFC_M('AustralianDollar'), DFC_M('CanadianDollar'), DFC_M('Euro'), DFC_M('PoundSterling'), DFC_M('USDollar'),
]);

/** The DFC product-types taxonomy's namespace: `dfc-b:hasType` must be in it for OFN to keep the type. */
export const PRODUCT_TYPES_NAMESPACE = DFC_PT('');

/** A full IRI in the compact form OFN writes (`dfc-m:Gram`); other IRIs stay whole. */
export function compactIri(iri: string): string {
  for (const [ prefix, namespace ] of Object.entries(DFC_PREFIXES)) {
    if (iri.startsWith(namespace)) {
      return `${prefix}:${iri.slice(namespace.length)}`;
    }
  }
  return iri;
}
