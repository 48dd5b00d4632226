import { farmosAdapter } from '../../../bridges/farmos/FarmosAdapter';
import { ofnAdapter } from '../../../bridges/ofn/OfnAdapter';
import type { TargetAdapter } from '../../../bridges/runtime/TargetAdapter';
import { shopifyAdapter } from '../../../bridges/shopify/ShopifyAdapter';

/** A target's setting as `connect` takes it: an option of `fmp bridge <target> connect`, a field of the web app's form. */
export interface SettingOption {
  readonly flags: string;
  readonly description: string;
  readonly setting: string;
  /** Whether connect may go without it (the target's checkSettings says what is needed together). */
  readonly optional?: boolean;
}

/** A bridge target and what connecting to it asks for. */
export interface BridgeTargetDefinition {
  readonly adapter: TargetAdapter;
  readonly settings: readonly SettingOption[];
}

/** The targets the CLI and the web app connect a member to, with the same settings. */
export const BRIDGE_TARGETS: Readonly<Record<string, BridgeTargetDefinition>> = {
  shopify: {
    adapter: shopifyAdapter,
    settings: [
      { flags: '--shop <url>', description: 'the store\'s URL, e.g. https://greenacres.myshopify.com', setting: 'shop' },
      { flags: '--token <token>', description: 'the custom app\'s Admin API access token (shpat_…)', setting: 'token' },
      { flags: '--webhook-secret <secret>', description: 'the secret Shopify signs webhooks with', setting: 'webhookSecret' },
    ],
  },
  ofn: {
    adapter: ofnAdapter,
    settings: [
      { flags: '--ofn <url>', description: 'the OFN instance\'s base URL, e.g. https://openfoodnetwork.org.uk', setting: 'ofn' },
      { flags: '--enterprise <id>', description: 'the enterprise\'s id at OFN (the last part of /api/dfc/enterprises/<id>)',
        setting: 'enterprise' },
      { flags: '--token <token>', description: 'an OIDC access token or an OFN API key with access to the enterprise',
        setting: 'token' },
      { flags: '--webhook-token <token>', description: 'the bearer token OFN\'s refresh events carry (without it, the bridge ' +
        'refuses them and only syncs on changes in the pod and on `sync`)', setting: 'webhookToken', optional: true },
    ],
  },
  farmos: {
    adapter: farmosAdapter,
    settings: [
      { flags: '--farmos <url>', description: 'the farmOS base URL, e.g. https://myfarm.farmos.net', setting: 'farmos' },
      { flags: '--farmos-client-id <id>', description: 'the farmOS OAuth client\'s id (--client-id is the member\'s own login)',
        setting: 'clientId' },
      { flags: '--farmos-client-secret <secret>', description: 'its secret, for the client_credentials grant', setting: 'clientSecret',
        optional: true },
      { flags: '--scope <scope>', description: 'the OAuth scope to ask for, e.g. farm_manager', setting: 'scope', optional: true },
      { flags: '--farmos-username <name>', description: 'password grant (older instances): the farmOS user', setting: 'username',
        optional: true },
      { flags: '--farmos-password <password>', description: 'password grant: the farmOS user\'s password', setting: 'password',
        optional: true },
    ],
  },
};
