import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { currencyCodeOf, productToProductSetInput, readShopifyProduct, shopifyToProduct } from '../../../bridges/shopify/mapping';
import { ShopifyMappingError } from '../../../bridges/shopify/ShopifyMappingError';
import { quadsToTurtle } from '../../../shapes/access/podIo';
import { productToQuads } from '../../../shapes/access/productRdf';
import type { Product } from '../../../shapes/access/types';
import { formatViolations } from '../../../shapes/formatViolations';
import { validateDataset } from '../../../shapes/validateDataset';
import { addFarmosCommands } from './bridgeFarmos';
import { addOfnBridgeCommands } from './bridgeOfn';
import { addBridgeTargetCommands } from './bridgeTargetCommands';
import { BRIDGE_TARGETS } from './bridgeTargets';
import { CONVERT_BASE, readPodProduct } from './convertFiles';
import { addBridgeWorkerCommand } from './bridgeWorker';

interface ConvertOptions {
  from: 'pod' | 'shopify';
  currency?: string;
  vendor?: string;
  location?: string;
  slug?: string;
  contentType?: string;
}

/**
 * `fmp bridge …`: one subcommand per target, each added by its own function so the bridge runtime's commands
 * (connect, sync, status, …) join the same target command.
 */
export function addBridgeCommands(program: Command): Command {
  const bridge = program.command('bridge').description('bridges between members\' pods and the shops they sell through');
  addBridgeTargetCommands(addShopifyCommands(bridge), BRIDGE_TARGETS.shopify, (server, member): string =>
    `In the Shopify admin (Settings → Notifications → Webhooks), send products/create, products/update, products/delete and inventory_levels/update (JSON, API 2025-10) to:\n` +
    `  ${new URL(`.fmp/bridges/shopify/webhooks/${encodeURIComponent(member)}`, server).href}`);
  addFarmosCommands(bridge);
  addOfnBridgeCommands(bridge);
  addBridgeWorkerCommand(bridge);
  return bridge;
}

/** `fmp bridge shopify …`; returns the command so more subcommands can be added to it. */
export function addShopifyCommands(bridge: Command): Command {
  const shopify = bridge.command('shopify').description('the Shopify bridge (GraphQL Admin API 2025-10)');
  shopify.command('convert <file>')
    .description('convert one product document between pod data and Shopify, offline, to check the mapping by hand: ' +
      'pod Turtle or JSON-LD → the ProductSetInput of a productSet call (JSON); a Shopify products/update webhook body, ' +
      'REST product or GraphQL Product node → pod Turtle')
    .addOption(new Option('--from <side>', 'what the file holds').choices([ 'pod', 'shopify' ]).makeOptionMandatory())
    .option('--currency <code>', 'the shop\'s currency (ISO 4217, e.g. EUR): needed --from shopify; --from pod, a product priced otherwise is refused')
    .option('--vendor <name>', '--from pod: the vendor to show (the farm\'s name)')
    .option('--location <gid>', '--from pod: the Shopify location for the stock (gid://shopify/Location/…)')
    .option('--slug <name>', 'the product\'s name in catalog/ (default: the file\'s name --from pod, the handle --from shopify)')
    .option('--content-type <type>', '--from pod: the document\'s media type (default: by extension, .ttl .jsonld .json .nt .nq)')
    .action(async(file: string, options: ConvertOptions): Promise<void> => {
      const text = await readFile(file, 'utf8');
      const output = await inFile(file, async(): Promise<string> => options.from === 'pod' ?
        `${JSON.stringify(await podToProductSetInput(file, text, options), null, 2)}\n` :
        shopifyToTurtle(text, options));
      process.stdout.write(output);
    });
  return shopify;
}

/** Runs a conversion, prefixing what it cannot map with the file's name (the CLI prints it as one line). */
async function inFile<T>(file: string, convert: () => Promise<T>): Promise<T> {
  try {
    return await convert();
  } catch (error: unknown) {
    const message = ShopifyMappingError.isInstance(error) ? error.message : (error as Error).message.split('\n')[0];
    throw new Error(`${file}: ${message}`, { cause: error });
  }
}

async function podToProductSetInput(file: string, text: string, options: ConvertOptions): Promise<object> {
  const { product } = await readPodProduct(file, text, options);
  return productToProductSetInput(product, {
    // Without --currency the product's own currency stands for the shop's: nothing to check against.
    shopCurrency: options.currency ?? currencyCodeOf(product.price.currency) ?? product.price.currency,
    ...options.vendor === undefined ? {} : { vendor: options.vendor },
    ...options.location === undefined ? {} : { locationId: options.location },
  });
}

function shopifyToTurtle(text: string, options: ConvertOptions): Promise<string> {
  if (!options.currency) {
    throw new Error('Shopify prices carry no currency: give the shop\'s with --currency (e.g. --currency EUR)');
  }
  const data = readShopifyProduct(text);
  const converted = shopifyToProduct(data, undefined, { shopCurrency: options.currency });
  const product: Product = options.slug === undefined ? converted : { ...converted, slug: options.slug };
  const url = `${CONVERT_BASE}${encodeURIComponent(product.slug)}`;
  const quads = productToQuads(url, product);
  const report = validateDataset('catalog', quads);
  if (!report.conforms) {
    throw new Error(`gives a product the catalog shapes refuse: ${formatViolations(report)[0]}`);
  }
  return Promise.resolve(quadsToTurtle(quads, url));
}
