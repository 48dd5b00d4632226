/**
 * The in-memory shop behind the Shopify fake: products, variants, inventory items and levels at one location, with
 * the GraphQL root fields the bridge uses as resolvers. graphql-js runs the real documents against the real schema
 * over these plain objects, so answers have exactly the selected shape.
 */

/** Ids start past 2^53, as a real shop's do, so any precision loss shows in the tests. */
let nextId = 788032119674292922n;

/** A fresh numeric id. */
export function newId(): bigint {
  nextId += 1n;
  return nextId;
}

export interface FakeWeight { value: number; unit: 'GRAMS' | 'KILOGRAMS' | 'OUNCES' | 'POUNDS' }

export interface FakeVariant {
  id: bigint;
  title: string;
  optionValues: { optionName: string; name: string }[];
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryPolicy: 'CONTINUE' | 'DENY';
  inventoryItemId: bigint;
  tracked: boolean;
  weight?: FakeWeight;
  createdAt: string;
  updatedAt: string;
}

export interface FakeProduct {
  id: bigint;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT' | 'UNLISTED';
  tags: string[];
  options: { name: string; values: string[] }[];
  variants: FakeVariant[];
  createdAt: string;
  updatedAt: string;
}

/** A `userErrors` entry. */
export interface FakeUserError { field: string[] | null; message: string; code?: string }

type Args = Record<string, unknown>;
type Input = Record<string, unknown>;

const REASONS = [ 'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated',
  'movement_received', 'movement_canceled', 'other', 'promotion', 'quality_control', 'received', 'reservation_created',
  'reservation_deleted', 'reservation_updated', 'restock', 'safety_stock', 'shrinkage' ];

/** The shop's state and the resolvers of the root fields the bridge calls. */
export class ShopifyFakeStore {
  public readonly products = new Map<bigint, FakeProduct>();
  /** inventory item id → location id → available. */
  public readonly levels = new Map<bigint, Map<bigint, number>>();
  public readonly locationId = newId();

  public constructor(private readonly now: () => number, public readonly currencyCode = 'EUR') {}

  /** The root value for graphql-js: one function per root field (query and mutation). */
  public rootValue(apiVersion: string): Record<string, (args: Args) => unknown> {
    return {
      product: ({ id }): unknown => {
        const product = this.products.get(numericOf(id, 'Product') ?? -1n);
        return product ? this.productView(product) : null;
      },
      products: (args): unknown => this.productConnection(args),
      location: ({ id }): unknown => id === undefined || id === null || id === gid('Location', this.locationId) ?
        { id: gid('Location', this.locationId), name: 'Farm shop', isActive: true } :
        null,
      shop: (): unknown => ({ currencyCode: this.currencyCode, weightUnit: 'KILOGRAMS', name: 'Fake shop' }),
      productSet: (args): unknown => this.productSet(args),
      productUpdate: (args): unknown => this.productUpdate(args),
      inventorySetQuantities: (args): unknown => this.inventorySetQuantities(args, apiVersion),
    };
  }

  /** A product as GraphQL resolves it. */
  public productView(product: FakeProduct): Record<string, unknown> {
    return {
      id: gid('Product', product.id),
      legacyResourceId: product.id.toString(),
      handle: product.handle,
      title: product.title,
      descriptionHtml: product.descriptionHtml,
      vendor: product.vendor,
      productType: product.productType,
      status: product.status,
      tags: product.tags,
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
      totalInventory: product.variants.reduce((sum, variant): number => sum + this.available(variant.inventoryItemId), 0),
      hasOnlyDefaultVariant: product.variants.length === 1 && product.variants[0].title === 'Default Title',
      variants: (args: Args): unknown => connection(product.variants.map((variant): unknown => this.variantView(variant)), args),
    };
  }

  private variantView(variant: FakeVariant): Record<string, unknown> {
    const inventoryItem = gid('InventoryItem', variant.inventoryItemId);
    return {
      id: gid('ProductVariant', variant.id),
      legacyResourceId: variant.id.toString(),
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      inventoryPolicy: variant.inventoryPolicy,
      inventoryQuantity: this.available(variant.inventoryItemId),
      selectedOptions: variant.optionValues.map(({ optionName, name }): unknown => ({ name: optionName, value: name })),
      createdAt: variant.createdAt,
      updatedAt: variant.updatedAt,
      inventoryItem: {
        id: inventoryItem,
        sku: variant.sku,
        tracked: variant.tracked,
        measurement: { id: `${inventoryItem}/measurement`, weight: variant.weight ?? null },
      },
    };
  }

  /** Units available across locations. */
  public available(inventoryItemId: bigint): number {
    return [ ...this.levels.get(inventoryItemId)?.values() ?? [] ].reduce((sum, value): number => sum + value, 0);
  }

  private productConnection(args: Args): unknown {
    const query = typeof args.query === 'string' ? args.query : '';
    const tag = /tag:(\S+)/u.exec(query)?.[1];
    const handle = /handle:(\S+)/u.exec(query)?.[1];
    const products = [ ...this.products.values() ]
      .filter((product): boolean => (tag === undefined || product.tags.includes(tag)) &&
        (handle === undefined || product.handle === handle))
      .map((product): unknown => this.productView(product));
    return connection(products, args);
  }

  private productSet(args: Args): unknown {
    const input = args.input as Input;
    const identifier = (args.identifier ?? undefined) as Input | undefined;
    let product: FakeProduct | undefined;
    if (identifier?.id !== undefined) {
      product = this.products.get(numericOf(identifier.id, 'Product') ?? -1n);
      if (!product) {
        return failed([ 'identifier', 'id' ], 'Product does not exist', 'PRODUCT_DOES_NOT_EXIST');
      }
    } else if (typeof identifier?.handle === 'string') {
      product = this.findByHandle(identifier.handle);
    }
    const problem = this.checkProductSet(input, product);
    if (problem) {
      return { product: null, productSetOperation: null, userErrors: [ problem ]};
    }
    const time = this.isoNow();
    const saved: FakeProduct = product ?? {
      id: newId(), handle: '', title: '', descriptionHtml: '', vendor: '', productType: '', status: 'ACTIVE',
      tags: [], options: [], variants: [], createdAt: time, updatedAt: time,
    };
    applyProductFields(saved, input);
    if (!saved.handle) {
      saved.handle = this.uniqueHandle(slugOf(saved.title), saved.id);
    }
    if (Array.isArray(input.productOptions)) {
      saved.options = (input.productOptions as Input[]).map((option): { name: string; values: string[] } => ({
        name: String(option.name),
        values: ((option.values ?? []) as Input[]).map((value): string => String(value.name)),
      }));
    }
    if (Array.isArray(input.variants)) {
      saved.variants = (input.variants as Input[]).map((variantInput): FakeVariant =>
        this.setVariant(saved, variantInput, time));
    }
    saved.updatedAt = time;
    this.products.set(saved.id, saved);
    return { product: this.productView(saved), productSetOperation: null, userErrors: []};
  }

  /** The checks Shopify makes on a productSet that the bridge could trip over. */
  private checkProductSet(input: Input, product: FakeProduct | undefined): FakeUserError | undefined {
    if (!product && (typeof input.title !== 'string' || input.title.trim() === '')) {
      return { field: [ 'input', 'title' ], message: 'Title can\'t be blank', code: 'INVALID_PRODUCT' };
    }
    const owner = typeof input.handle === 'string' ? this.findByHandle(input.handle) : undefined;
    if (owner && owner !== product) {
      return { field: [ 'input', 'handle' ], message: `Handle '${String(input.handle)}' already in use. Please provide a new handle.`,
        code: 'HANDLE_NOT_UNIQUE' };
    }
    const variants = Array.isArray(input.variants) ? input.variants as Input[] : [];
    if (!product && variants.length > 0 && !Array.isArray(input.productOptions)) {
      return { field: [ 'input', 'productOptions' ], message: 'Product options input is required when setting variants.',
        code: 'PRODUCT_OPTIONS_INPUT_MISSING' };
    }
    for (const [ index, variant ] of variants.entries()) {
      if (variant.price !== undefined && Number(variant.price) < 0) {
        return { field: [ 'input', 'variants', String(index), 'price' ], message: 'Price must be greater than or equal to 0',
          code: 'INVALID_VARIANT' };
      }
      const known = variant.id === undefined || product?.variants.some((existing): boolean =>
        gid('ProductVariant', existing.id) === variant.id);
      if (!known) {
        return { field: [ 'input', 'variants', String(index), 'id' ], message: 'Product variant does not exist',
          code: 'PRODUCT_VARIANT_DOES_NOT_EXIST' };
      }
      for (const line of (variant.inventoryQuantities ?? []) as Input[]) {
        if (line.locationId !== gid('Location', this.locationId)) {
          return { field: [ 'input', 'variants', String(index), 'inventoryQuantities' ], message: 'Location not found.',
            code: 'NOT_FOUND' };
        }
      }
    }
    return undefined;
  }

  /** Updates the variant the input names (by id, else by its option values) or makes a new one. */
  private setVariant(product: FakeProduct, input: Input, time: string): FakeVariant {
    const optionValues = ((input.optionValues ?? []) as Input[]).map((value): { optionName: string; name: string } =>
      ({ optionName: String(value.optionName), name: String(value.name) }));
    const title = optionValues.map((value): string => value.name).join(' / ') || 'Default Title';
    const existing = product.variants.find((variant): boolean => input.id !== undefined ?
      gid('ProductVariant', variant.id) === input.id :
      variant.title === title);
    const variant: FakeVariant = existing ?? {
      id: newId(), title, optionValues, sku: null, price: '0.00', compareAtPrice: null, inventoryPolicy: 'DENY',
      inventoryItemId: newId(), tracked: false, createdAt: time, updatedAt: time,
    };
    variant.title = title;
    variant.optionValues = optionValues;
    if (input.price !== undefined && input.price !== null) {
      variant.price = Number(input.price).toFixed(2);
    }
    if (input.sku !== undefined) {
      variant.sku = input.sku as string | null;
    }
    if (input.inventoryPolicy !== undefined) {
      variant.inventoryPolicy = input.inventoryPolicy as 'CONTINUE' | 'DENY';
    }
    const item = input.inventoryItem as Input | undefined;
    if (item?.tracked !== undefined) {
      variant.tracked = Boolean(item.tracked);
    }
    const weight = (item?.measurement as Input | undefined)?.weight as FakeWeight | undefined;
    if (weight) {
      variant.weight = { value: Number(weight.value), unit: weight.unit };
    }
    for (const line of (input.inventoryQuantities ?? []) as Input[]) {
      this.setLevel(variant.inventoryItemId, numericOf(line.locationId, 'Location')!, Number(line.quantity));
    }
    variant.updatedAt = time;
    return variant;
  }

  private productUpdate(args: Args): unknown {
    const input = args.product as Input;
    const product = this.products.get(numericOf(input.id, 'Product') ?? -1n);
    if (!product) {
      return { product: null, userErrors: [{ field: [ 'id' ], message: 'Product does not exist' }]};
    }
    applyProductFields(product, input);
    product.updatedAt = this.isoNow();
    return { product: this.productView(product), userErrors: []};
  }

  private inventorySetQuantities(args: Args, apiVersion: string): unknown {
    const input = args.input as Input;
    const error = (field: string[], message: string, code: string): unknown =>
      ({ inventoryAdjustmentGroup: null, userErrors: [{ field, message, code }]});
    if (input.name !== 'available' && input.name !== 'on_hand') {
      return error([ 'input', 'name' ], 'The quantity name must be either \'available\' or \'on_hand\'.', 'INVALID_NAME');
    }
    if (!REASONS.includes(String(input.reason))) {
      return error([ 'input', 'reason' ], 'The specified reason is invalid.', 'INVALID_REASON');
    }
    const lines = input.quantities as Input[];
    for (const [ index, line ] of lines.entries()) {
      const item = numericOf(line.inventoryItemId, 'InventoryItem');
      const location = numericOf(line.locationId, 'Location');
      if (item === undefined || !this.itemExists(item)) {
        return error([ 'input', 'quantities', String(index), 'inventoryItemId' ], 'The specified inventory item could not be found.',
          'INVALID_INVENTORY_ITEM');
      }
      if (location !== this.locationId) {
        return error([ 'input', 'quantities', String(index), 'locationId' ], 'The specified location could not be found.',
          'INVALID_LOCATION');
      }
      // 2025-10 wants a compare quantity unless ignoreCompareQuantity; later versions take changeFromQuantity (null opts out).
      const compare = apiVersion >= '2026-01' && 'changeFromQuantity' in line ? line.changeFromQuantity : line.compareQuantity;
      const optedOut = input.ignoreCompareQuantity === true || (apiVersion >= '2026-01' && 'changeFromQuantity' in line && compare === null);
      if (!optedOut && (compare === undefined || compare === null)) {
        return error([ 'input', 'quantities', String(index), 'compareQuantity' ],
          'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.',
          'COMPARE_QUANTITY_REQUIRED');
      }
      if (!optedOut && compare !== this.available(item)) {
        return error([ 'input', 'quantities', String(index), 'compareQuantity' ],
          'The compareQuantity value does not match the current quantity.', 'COMPARE_QUANTITY_STALE');
      }
    }
    for (const line of lines) {
      this.setLevel(numericOf(line.inventoryItemId, 'InventoryItem')!, this.locationId, Number(line.quantity));
    }
    return { inventoryAdjustmentGroup: { reason: String(input.reason), createdAt: this.isoNow(), changes: []}, userErrors: []};
  }

  /** Sets the available quantity of an item at a location. */
  public setLevel(inventoryItemId: bigint, locationId: bigint, quantity: number): void {
    const levels = this.levels.get(inventoryItemId) ?? new Map<bigint, number>();
    levels.set(locationId, quantity);
    this.levels.set(inventoryItemId, levels);
  }

  private itemExists(inventoryItemId: bigint): boolean {
    return [ ...this.products.values() ].some((product): boolean =>
      product.variants.some((variant): boolean => variant.inventoryItemId === inventoryItemId));
  }

  private findByHandle(handle: string): FakeProduct | undefined {
    return [ ...this.products.values() ].find((product): boolean => product.handle === handle);
  }

  private uniqueHandle(base: string, id: bigint): string {
    let handle = base || 'product';
    for (let suffix = 1; [ ...this.products.values() ].some((product): boolean => product.handle === handle && product.id !== id); suffix += 1) {
      handle = `${base}-${suffix}`;
    }
    return handle;
  }

  /** The shop's clock as Shopify writes times. */
  public isoNow(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/u, 'Z');
  }
}

function applyProductFields(product: FakeProduct, input: Input): void {
  for (const key of [ 'title', 'descriptionHtml', 'vendor', 'productType', 'handle', 'status' ] as const) {
    if (typeof input[key] === 'string') {
      (product as unknown as Record<string, unknown>)[key] = input[key];
    }
  }
  if (Array.isArray(input.tags)) {
    product.tags = (input.tags as string[]).slice();
  }
}

function failed(field: string[], message: string, code: string): unknown {
  return { product: null, productSetOperation: null, userErrors: [{ field, message, code }]};
}

/** `gid://shopify/<kind>/<id>`. */
export function gid(kind: string, id: bigint): string {
  return `gid://shopify/${kind}/${id}`;
}

/** The numeric id of a gid of the given kind, or `undefined`. */
export function numericOf(value: unknown, kind: string): bigint | undefined {
  const match = typeof value === 'string' ? new RegExp(`^gid://shopify/${kind}/(\\d+)$`, 'u').exec(value) : null;
  return match ? BigInt(match[1]) : undefined;
}

function slugOf(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/gu, '-').replace(/^-+|-+$/gu, '');
}

/** A Relay connection over a list, with `first`/`after` paging (cursors are positions). */
function connection(items: unknown[], args: Args): unknown {
  const start = typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64').toString()) + 1 : 0;
  const count = typeof args.first === 'number' ? args.first : items.length;
  const page = items.slice(start, start + count);
  const cursor = (index: number): string => Buffer.from(String(start + index)).toString('base64');
  return {
    nodes: page,
    edges: page.map((node, index): unknown => ({ node, cursor: cursor(index) })),
    pageInfo: {
      hasNextPage: start + count < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(0) : null,
      endCursor: page.length > 0 ? cursor(page.length - 1) : null,
    },
  };
}
