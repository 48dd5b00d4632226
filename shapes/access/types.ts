/**
 * Plain typed objects for the member data model. Each is stored as one pod resource; IRIs are
 * absolute strings, units are DFC measures IRIs (see {@link DFC_M}), times are ISO 8601 strings.
 */

/** An amount with a DFC quantity unit, e.g. `{ value: 1, unit: DFC_M('Kilogram') }`. */
export interface Quantity {
  readonly value: number;
  /** A DFC measures quantity unit IRI. */
  readonly unit: string;
}

/** A price in a DFC currency unit, with an optional VAT rate in percent. */
export interface Price {
  readonly value: number;
  /** A DFC measures currency IRI, e.g. `DFC_M('Euro')`. */
  readonly currency: string;
  readonly vatRate?: number;
}

/** A product the farm sells: DFC supplied product + catalog item + offer, stored together in `catalog/<slug>`. */
export interface Product {
  /** The resource name inside `catalog/`. */
  readonly slug: string;
  readonly name: string;
  readonly description?: string;
  /** A DFC product type IRI (`dfc-pt:`). */
  readonly productType?: string;
  /** How much one unit of sale contains, e.g. 500 g. */
  readonly quantity: Quantity;
  readonly sku: string;
  /** Units in stock; leave out for unlimited. */
  readonly stock?: number;
  readonly price: Price;
}

/** The kinds of land asset (farmOS land types). */
export type LandType = 'property' | 'field' | 'bed' | 'paddock' | 'landmark' | 'other';

/** A piece of land, stored in `land/<slug>`. */
export interface LandAsset {
  readonly slug: string;
  readonly name: string;
  readonly landType: LandType;
  readonly description?: string;
  /** WKT geometry, e.g. `POLYGON((...))`. */
  readonly wkt?: string;
  /** IRI of the land asset this one lies in (a bed in a field). */
  readonly containedIn?: string;
}

/** A planting, stored in `land/<slug>`. */
export interface PlantAsset {
  readonly slug: string;
  readonly name: string;
  /** A DFC product type IRI (`dfc-pt:`) or another SKOS concept IRI. */
  readonly plantType: string;
  readonly season: string;
  readonly variety?: string;
  /** IRI of the land asset where it grows. */
  readonly location?: string;
}

/** The kinds of farm log. */
export type LogType = 'seeding' | 'harvest' | 'activity' | 'observation';
/** Whether a log is planned or done. */
export type LogStatus = 'pending' | 'done';
/** What a log quantity measures (farmOS measures). */
export type Measure = 'count' | 'length' | 'weight' | 'area' | 'volume' | 'time' | 'temperature' |
  'value' | 'rate' | 'ratio';

/** A measured amount in a log. */
export interface LogQuantity extends Quantity {
  readonly measure: Measure;
}

/** A farm log, stored in `logs/<slug>`. */
export interface FarmLog {
  readonly slug: string;
  readonly type: LogType;
  readonly name?: string;
  /** ISO 8601 date-time with zone, e.g. `2025-07-01T08:00:00Z`. */
  readonly timestamp: string;
  readonly status: LogStatus;
  /** IRIs of the assets the log is about. */
  readonly assets: readonly string[];
  /** IRI of the land asset where it happened. */
  readonly location?: string;
  readonly quantities: readonly LogQuantity[];
  readonly lotNumber?: string;
  /** Free-text notes (farmOS's `notes`). */
  readonly notes?: string;
}

/** One line of an order. */
export interface OrderLine {
  /** IRI of the DFC offer ordered (`catalog/<slug>#offer`). */
  readonly offer: string;
  /** Number of units of sale ordered. */
  readonly quantity: number;
  readonly price?: Price;
}

/** A customer order, stored in `orders/<slug>`. */
export interface Order {
  readonly slug: string;
  readonly orderNumber?: string;
  /** ISO 8601 date-time. */
  readonly date?: string;
  /** IRI of the customer (WebID or DFC enterprise). */
  readonly customer?: string;
  readonly lines: readonly OrderLine[];
}

/** The farm as a DFC enterprise, stored in `profile/enterprise`. */
export interface Enterprise {
  readonly name: string;
  readonly description?: string;
  readonly vatNumber?: string;
  readonly email?: string;
  readonly address: {
    readonly street?: string;
    readonly postalCode: string;
    readonly city: string;
    /** EU country authority IRI, e.g. `http://publications.europa.eu/resource/authority/country/FRA`. */
    readonly country?: string;
  };
  readonly mainContact: { readonly firstName: string; readonly familyName: string };
}
