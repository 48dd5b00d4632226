import { DFC_M } from '../../shapes/namespaces';
import { FarmosMappingError } from './FarmosMappingError';

/** The quantity units of the DFC measures taxonomy the pod's log shapes take (their local names). */
const DFC_UNITS = [ '4Pack', '6Pack', 'Bag', 'Basket', 'BeerCrate', 'Bottle', 'Box', 'Bucket', 'Bunch', 'Bundle', 'Can',
  'Carton', 'Cask', 'Centilitre', 'Centimetre', 'Crate', 'Cup', 'Decilitre', 'Decimetre', 'Dozen', 'Drum', 'Gallon',
  'GrainBulk', 'Gram', 'HalfDozen', 'Inch', 'Jar', 'Keg', 'Kilogram', 'Kilometre', 'Kit', 'LiquidBulk', 'Litre', 'Metre',
  'Milligram', 'Millilitre', 'Net', 'NoduleBulk', 'Ounce', 'Package', 'Packet', 'Pair', 'Pallet', 'Percent', 'Piece', 'Pot',
  'Pouch', 'PoundMass', 'PowderBulk', 'Punnet', 'Roll', 'Tablet', 'Tin', 'Tonne', 'Tray', 'Tub', 'Tube' ];

/** What farmOS users name the common units (farmOS ships no unit terms; these are the usual ones). */
const SYMBOLS: Readonly<Record<string, string>> = Object.freeze({
  Kilogram: 'kg', Gram: 'g', Milligram: 'mg', Tonne: 't', PoundMass: 'lbs', Ounce: 'oz', Litre: 'l', Millilitre: 'ml',
  Centilitre: 'cl', Decilitre: 'dl', Gallon: 'gal', Metre: 'm', Centimetre: 'cm', Decimetre: 'dm', Kilometre: 'km',
  Inch: 'in', Percent: '%', Piece: 'pieces',
});

/** Other spellings a farmOS unit term may have, normalised (lower case, no trailing s or dot). */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({
  kilo: 'Kilogram', lb: 'PoundMass', pound: 'PoundMass', liter: 'Litre', milliliter: 'Millilitre', ton: 'Tonne',
  meter: 'Metre', centimeter: 'Centimetre', kilometer: 'Kilometre', pc: 'Piece', pce: 'Piece', plant: 'Piece',
  head: 'Piece', each: 'Piece', ea: 'Piece', count: 'Piece', gallon: 'Gallon', bunche: 'Bunch', boxe: 'Box',
});

function normalised(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/u, '').replace(/s$/u, '');
}

const BY_NAME = new Map<string, string>([
  ...DFC_UNITS.map((unit): [string, string] => [ normalised(unit), unit ]),
  ...Object.entries(SYMBOLS).map(([ unit, symbol ]): [string, string] => [ normalised(symbol), unit ]),
  ...Object.entries(ALIASES),
]);

/** The name of the farmOS unit term for a DFC unit IRI, e.g. `dfc-m:Kilogram` → `kg`. */
export function farmosUnitName(unitIri: string): string {
  const local = unitIri.startsWith(DFC_M('')) ? unitIri.slice(DFC_M('').length) : undefined;
  if (!local || !DFC_UNITS.includes(local)) {
    throw new FarmosMappingError('unit', `${unitIri} is not a unit of the DFC measures taxonomy`);
  }
  return SYMBOLS[local] ?? local.toLowerCase();
}

/** The DFC unit IRI for a farmOS unit term's name (`kg`, `Kilograms`, `lbs`, `bunches`…). */
export function dfcUnitOf(name: string, where = 'units'): string {
  const unit = BY_NAME.get(normalised(name));
  if (!unit) {
    throw new FarmosMappingError(where, `farmOS unit "${name}" is not a unit of the DFC measures taxonomy (e.g. kg, g, lbs, l, pieces, bunch)`);
  }
  return DFC_M(unit);
}
