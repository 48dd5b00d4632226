import { strict as assert } from 'node:assert';
import { descriptionToHtml, htmlToDescription } from '../../../../bridges/shopify/html';
import { deletedProductId, handleOf, inventoryLevelToStock, productToProductSetInput, readShopifyProduct,
  shopifyToProduct } from '../../../../bridges/shopify/mapping';
import { ShopifyMappingError } from '../../../../bridges/shopify/ShopifyMappingError';
import { productToQuads } from '../../../../shapes/access/productRdf';
import type { Product } from '../../../../shapes/access/types';
import { generateProducts } from '../../../../shapes/demo/catalogData';
import { DFC_M, DFC_PT } from '../../../../shapes/namespaces';
import { validateDataset } from '../../../../shapes/validateDataset';
import { coerceProductSetInput } from '../../../fakes/shopify/adminSchema';
import { caught, readShopifyFixture } from './fixtures';

const LOCATION = 'gid://shopify/Location/24826418';
const carrots: Product = generateProducts(1)[0];

/** The mapping error's message, or a failure if something else was thrown. */
async function mappingError(action: () => unknown): Promise<string> {
  const error = await caught(action);
  assert.ok(ShopifyMappingError.isInstance(error), `expected a ShopifyMappingError, got ${String(error)}`);
  return error.message;
}

describe('Shopify mapping', (): void => {
  describe('pod product → ProductSetInput', (): void => {
    it('maps a demo product to a productSet input that Shopify\'s 2025-10 schema accepts', (): void => {
      const input = productToProductSetInput(carrots, { shopCurrency: 'EUR', vendor: 'Green Acres', locationId: LOCATION });
      assert.deepEqual(input, {
        title: 'Carrots',
        descriptionHtml: '<p>Carrots, 1 kilogram, grown on the farm.</p>',
        vendor: 'Green Acres',
        productType: 'Carrot',
        handle: 'carrots-1-kilogram',
        status: 'ACTIVE',
        tags: [ 'fmp-vault', 'carrot' ],
        productOptions: [{ name: 'Title', position: 1, values: [{ name: 'Default Title' }]}],
        variants: [{
          price: '2.40',
          sku: 'VAL-0001',
          optionValues: [{ optionName: 'Title', name: 'Default Title' }],
          inventoryItem: { tracked: true, measurement: { weight: { value: 1, unit: 'KILOGRAMS' }}},
          inventoryQuantities: [{ locationId: LOCATION, name: 'available', quantity: 0 }],
        }],
      });
      assert.deepEqual(coerceProductSetInput(input), []);
    });

    it('gives every demo line a schema-valid input, weights only for masses', (): void => {
      for (const product of generateProducts(30)) {
        const input = productToProductSetInput(product, { shopCurrency: 'EUR', locationId: LOCATION, variantId: 'gid://shopify/ProductVariant/1' });
        assert.deepEqual(coerceProductSetInput(input), [], product.slug);
        const weight = input.variants![0].inventoryItem!.measurement?.weight;
        const isMass = product.quantity.unit === DFC_M('Kilogram') || product.quantity.unit === DFC_M('Gram');
        assert.equal(weight !== undefined, isMass, product.slug);
      }
    });

    it('converts milligrams and tonnes to Shopify units, and sends no stock for unlimited products', (): void => {
      const unlimited = { ...carrots, stock: undefined, quantity: { value: 250, unit: DFC_M('Milligram') }};
      const variant = productToProductSetInput(unlimited, { shopCurrency: 'EUR', locationId: LOCATION }).variants![0];
      assert.deepEqual(variant.inventoryItem, { tracked: false, measurement: { weight: { value: 0.25, unit: 'GRAMS' }}});
      assert.equal(variant.inventoryQuantities, undefined);
      const tonne = { ...carrots, quantity: { value: 1.5, unit: DFC_M('Tonne') }};
      assert.deepEqual(productToProductSetInput(tonne, { shopCurrency: 'EUR' }).variants![0].inventoryItem?.measurement,
        { weight: { value: 1500, unit: 'KILOGRAMS' }});
    });

    it('escapes HTML in descriptions, so a description cannot put markup in the shop, and reads it back unchanged', (): void => {
      const description = 'Crunchy & sweet <script>alert("x")</script>\nPicked today.\n\nKeep cool.';
      const html = productToProductSetInput({ ...carrots, description }, { shopCurrency: 'EUR' }).descriptionHtml!;
      assert.equal(html, '<p>Crunchy &amp; sweet &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Picked today.</p><p>Keep cool.</p>');
      assert.doesNotMatch(html, /<script/u);
      assert.equal(htmlToDescription(html), description);
      assert.equal(htmlToDescription(descriptionToHtml('It\'s 5 € — fresh')), 'It\'s 5 € — fresh');
    });

    it('refuses a product priced in another currency than the shop\'s, saying which', async(): Promise<void> => {
      const dollars = { ...carrots, price: { value: 3, currency: DFC_M('USDollar') }};
      assert.equal(await mappingError((): unknown => productToProductSetInput(dollars, { shopCurrency: 'EUR' })),
        'price.currency: Carrots is priced in USD, but the shop sells in EUR; set the price in EUR in the pod');
    });

    it('refuses a price Shopify would round, and a slug that gives no handle', async(): Promise<void> => {
      const odd = { ...carrots, price: { ...carrots.price, value: 2.345 }};
      assert.equal(await mappingError((): unknown => productToProductSetInput(odd, { shopCurrency: 'EUR' })),
        'price.value: 2.345 has more than 2 decimals; Shopify would round it');
      assert.equal(await mappingError((): unknown => productToProductSetInput({ ...carrots, slug: '%%--' }, { shopCurrency: 'EUR' })),
        'slug: "%%--" gives no Shopify handle (it needs letters or digits)');
      assert.equal(handleOf('Pommes_de_Terre%C3%A9'), 'pommes-de-terree');
    });
  });

  describe('Shopify → normalized data', (): void => {
    it('reads Shopify\'s products/update sample with every digit of its ids', (): void => {
      const data = readShopifyProduct(readShopifyFixture('products-update-webhook.json'));
      assert.deepEqual(data, {
        id: 'gid://shopify/Product/788032119674292922',
        handle: 'example-t-shirt',
        title: 'Example T-Shirt',
        descriptionHtml: 'An example T-Shirt',
        vendor: 'Acme',
        productType: 'Shirts',
        status: 'ACTIVE',
        tags: [ 'example', 'mens', 't-shirt' ],
        updatedAt: '2021-12-31T19:00:00-05:00',
        variants: [
          { id: 'gid://shopify/ProductVariant/642667041472713922', price: '19.99', inventoryQuantity: 75 },
          { id: 'gid://shopify/ProductVariant/757650484644203962', price: '19.99', inventoryQuantity: 50 },
        ],
      });
    });

    it('keeps big ids from raw text even without admin_graphql_api_id, and refuses ids JSON.parse already rounded', async(): Promise<void> => {
      const text = readShopifyFixture('products-update-webhook.json').replace(/\s*"admin_graphql_api_id": "[^"]*",/gu, '');
      assert.equal(readShopifyProduct(text).variants[1].id, 'gid://shopify/ProductVariant/757650484644203962');
      assert.equal(readShopifyProduct(Buffer.from(text)).id, 'gid://shopify/Product/788032119674292922');
      const rounded: unknown = JSON.parse(text);
      assert.match(await mappingError((): unknown => readShopifyProduct(rounded)),
        /^id: 788032119674292900 is beyond 2\^53 and has lost digits/u);
      // With the gid strings there, even a JSON.parse'd body reads exactly.
      assert.equal(readShopifyProduct(JSON.parse(readShopifyFixture('products-update-webhook.json'))).id,
        'gid://shopify/Product/788032119674292922');
      assert.equal(deletedProductId(readShopifyFixture('products-delete-webhook.json')), 'gid://shopify/Product/788032119674292922');
    });

    it('reads Shopify\'s REST product example ({product: …}) with weights and inventory items', (): void => {
      const data = readShopifyProduct(readShopifyFixture('rest-product-ipod-nano.json'));
      assert.equal(data.id, 'gid://shopify/Product/632910392');
      assert.equal(data.title, 'IPod Nano - 8GB');
      assert.deepEqual(data.tags, [ 'Emotive', 'Flash Memory', 'MP3', 'Music' ]);
      assert.equal(data.variants.length, 4);
      assert.deepEqual(data.variants[0], {
        id: 'gid://shopify/ProductVariant/808950810', sku: 'IPOD2008PINK', price: '199.00',
        inventoryItemId: 'gid://shopify/InventoryItem/808950810', inventoryQuantity: 10, weight: 1.25, weightUnit: 'POUNDS',
      });
    });

    it('reads a GraphQL Product node with variant edges, and the same with nodes, alike', (): void => {
      const answer = readShopifyFixture('graphql-product-node.json');
      const fromEdges = readShopifyProduct(answer);
      const node = (JSON.parse(answer) as { data: { product: { variants: { edges: { node: unknown }[] } } } }).data.product;
      const withNodes = { ...node, variants: { nodes: node.variants.edges.map((edge): unknown => edge.node) }};
      assert.deepEqual(readShopifyProduct(withNodes), fromEdges);
      assert.deepEqual(fromEdges.variants[0], readShopifyProduct(readShopifyFixture('rest-product-ipod-nano.json')).variants[0]);
      assert.equal(fromEdges.status, 'ACTIVE');
    });

    it('reads inventory_levels/update bodies, from the webhook sample and the REST example', (): void => {
      assert.deepEqual(inventoryLevelToStock(readShopifyFixture('inventory-levels-update-webhook.json')), {
        inventoryItemId: 'gid://shopify/InventoryItem/271878346596884015',
        locationId: 'gid://shopify/Location/24826418',
        available: 6,
        updatedAt: '2021-12-31T19:00:00-05:00',
      });
      // The item id comes from admin_graphql_api_id, so a JSON.parse'd body keeps its digits too.
      assert.equal(inventoryLevelToStock(JSON.parse(readShopifyFixture('inventory-levels-update-webhook.json'))).inventoryItemId,
        'gid://shopify/InventoryItem/271878346596884015');
      assert.deepEqual(inventoryLevelToStock(readShopifyFixture('rest-inventory-level.json')), {
        inventoryItemId: 'gid://shopify/InventoryItem/808950810',
        locationId: 'gid://shopify/Location/655441491',
        available: 6,
        updatedAt: '2025-04-02T11:30:19-05:00',
      });
    });

    it('says what and where for inputs it cannot read', async(): Promise<void> => {
      const body = JSON.parse(readShopifyFixture('rest-product-ipod-nano.json')) as { product: { variants: { price: unknown }[] } };
      body.product.variants[2].price = 'abc';
      assert.equal(await mappingError((): unknown => readShopifyProduct(body)), 'product.variants[2].price: "abc" is not a decimal');
      assert.match(await mappingError((): unknown => readShopifyProduct('{"id": 1, ')), /^not valid JSON: /u);
      assert.equal(await mappingError((): unknown => readShopifyProduct('[1, 2]')),
        'expected a Shopify product as a JSON object (a products/update webhook body, a REST product or a GraphQL Product node)');
      assert.equal(await mappingError((): unknown => readShopifyProduct({ id: 'gid://shopify/Product/1', title: 'x', variants: {}})),
        'variants: missing: select the variants as `variants(first: …) { nodes { … } }` or `edges`');
      assert.equal(await mappingError((): unknown => readShopifyProduct({ id: 5, variants: [], title: '' })), 'title: "" is not a non-empty text');
      assert.equal(await mappingError((): unknown => readShopifyProduct({ id: 5, variants: [], title: 'x', status: 'gone' })),
        'status: "gone" is not a product status (active, archived, draft, unlisted)');
      assert.equal(await mappingError((): unknown => inventoryLevelToStock({ location_id: 1, available: 2 })),
        'inventory_item_id: missing is not a Shopify InventoryItem id');
      assert.equal(await mappingError((): unknown => inventoryLevelToStock({ inventory_item_id: 1, location_id: 1, available: 2.5 })),
        'available: 2.5 is not a whole number');
    });
  });

  describe('Shopify → pod product', (): void => {
    it('takes title, description, price, SKU and stock from Shopify and keeps what Shopify does not know', (): void => {
      const base: Product = { ...carrots, productType: DFC_PT('carrot'), stock: 12 };
      const sent = productToProductSetInput(base, { shopCurrency: 'EUR', locationId: LOCATION });
      const fromShop = readShopifyProduct({
        id: 'gid://shopify/Product/788032119674292999',
        title: 'Carrots (new crop)',
        descriptionHtml: '<p>Sweeter &amp; crunchier.</p>',
        handle: sent.handle,
        variants: { nodes: [{ id: 'gid://shopify/ProductVariant/788032119674293000', sku: base.sku, price: '2.90', inventoryQuantity: 7 }]},
      });
      const product = shopifyToProduct(fromShop, base, { shopCurrency: 'EUR' });
      assert.deepEqual(product, {
        ...base, name: 'Carrots (new crop)', description: 'Sweeter & crunchier.', price: { ...base.price, value: 2.9 }, stock: 7,
      });
      assert.ok(validateDataset('catalog', productToQuads(`https://pod.example/alice/catalog/${product.slug}`, product)).conforms);
    });

    it('makes a shape-valid pod product of Shopify\'s webhook sample without a pod product to start from', async(): Promise<void> => {
      const data = readShopifyProduct(readShopifyFixture('products-update-webhook.json'));
      const product = shopifyToProduct(data, undefined, { shopCurrency: 'EUR' });
      assert.deepEqual(product, {
        slug: 'example-t-shirt', name: 'Example T-Shirt', description: 'An example T-Shirt',
        quantity: { value: 1, unit: DFC_M('Piece') }, sku: 'SHOPIFY-642667041472713922',
        price: { value: 19.99, currency: DFC_M('Euro') }, stock: 75,
      });
      assert.ok(validateDataset('catalog', productToQuads('https://pod.example/alice/catalog/example-t-shirt', product)).conforms);
      assert.equal(await mappingError((): unknown => shopifyToProduct(data)),
        'price: Shopify prices carry no currency: give the shop\'s currency (e.g. EUR)');
      assert.equal(await mappingError((): unknown => shopifyToProduct({ ...data, variants: []}, carrots)),
        'variants: the product has no variant, so no price');
    });

    it('uses the REST weight as the unit of sale, and counts oversold stock as none left', (): void => {
      const data = readShopifyProduct(readShopifyFixture('rest-product-ipod-nano.json'));
      const oversold = { ...data, variants: [{ ...data.variants[1], inventoryQuantity: -3 }]};
      const product = shopifyToProduct(oversold, undefined, { shopCurrency: 'USD' });
      assert.deepEqual(product.quantity, { value: 1.25, unit: DFC_M('PoundMass') });
      assert.equal(product.stock, 0);
      assert.equal(product.sku, 'IPOD2008RED');
      assert.deepEqual(product.price, { value: 199, currency: DFC_M('USDollar') });
    });
  });
});
