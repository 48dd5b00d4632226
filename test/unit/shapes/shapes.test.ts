import { strict as assert } from 'node:assert';
import type { ContainerKind } from '../../../shapes/ContainerKind';
import { generateDemoFarm } from '../../../shapes/demo/generateDemoFarm';
import { formatViolations } from '../../../shapes/formatViolations';
import { parseRdf } from '../../../shapes/parseRdf';
import { getDefaultShapeRegistry, ShapeRegistry } from '../../../shapes/ShapeRegistry';
import { validateDataset } from '../../../shapes/validateDataset';
import { messagesOf, readFixture, readRealFixture, validateTurtle } from './fixtures';

const VALID_PRODUCT = `
<#product> a dfc-b:SuppliedProduct; dfc-b:name "Carrots"; dfc-b:hasType dfc-pt:carrot; dfc-b:hasQuantity <#q>.
<#q> a dfc-b:QuantitativeValue; dfc-b:value 1; dfc-b:hasUnit dfc-m:Kilogram.
<#item> a dfc-b:CatalogItem; dfc-b:references <#product>; dfc-b:sku "C1"; dfc-b:stockLimitation 4; dfc-b:offeredThrough <#offer>.
<#offer> a dfc-b:Offer; dfc-b:hasPrice <#price>.
<#price> a dfc-b:Price; dfc-b:value 2.5; dfc-b:hasUnit dfc-m:Euro; dfc-b:VATrate 5.5.
`;

/** Asserts that a snippet breaks the kind's shapes with exactly the expected message among the results. */
async function assertRejects(kind: ContainerKind, body: string, expected: string): Promise<void> {
  const report = await validateTurtle(kind, body);
  assert.equal(report.conforms, false, `expected a violation for: ${body}`);
  assert.ok(messagesOf(report).includes(expected), `expected "${expected}" in ${JSON.stringify(messagesOf(report))}`);
}

describe('shapes', (): void => {
  describe('demo data', (): void => {
    const resources = generateDemoFarm('https://vault.example/alice/');

    it('has the farm the issue describes', (): void => {
      const count = (prefix: string): number => resources.filter((resource): boolean => resource.path.startsWith(prefix)).length;
      assert.equal(count('catalog/'), 30);
      assert.equal(count('land/planting-'), 12);
      assert.ok(count('land/bed-') >= 3 && count('land/field-') >= 3);
      assert.ok(count('logs/harvest-') >= 30);
      assert.ok(count('orders/') >= 3);
      assert.equal(count('profile/'), 1);
    });

    it('conforms to the shapes of its container, resource by resource', (): void => {
      for (const resource of resources) {
        const report = validateDataset(resource.kind, resource.quads);
        assert.deepEqual(formatViolations(report), [], resource.path);
      }
    });

    it('round-trips through Turtle', async(): Promise<void> => {
      for (const resource of resources.filter((_, index): boolean => index % 10 === 0)) {
        const quads = await parseRdf(resource.turtle, 'text/turtle', `https://vault.example/alice/${resource.path}`);
        assert.equal(quads.length, resource.quads.length, resource.path);
        assert.ok(validateDataset(resource.kind, quads).conforms, resource.path);
      }
    });
  });

  describe('real OFN DFC 1.16 documents', (): void => {
    const documents: [string, ContainerKind][] = [
      [ 'ofn-enterprises.json', 'profile' ],
      [ 'ofn-catalog-items.json', 'catalog' ],
      [ 'ofn-supplied-products.json', 'catalog' ],
      [ 'ofn-supplied-product.json', 'catalog' ],
      [ 'ofn-offer.json', 'catalog' ],
    ];
    for (const [ name, kind ] of documents) {
      it(`accepts ${name} in ${kind}/`, async(): Promise<void> => {
        const quads = await parseRdf(readFixture(name), 'application/ld+json', 'http://test.host/api/dfc/');
        assert.ok(quads.length > 5);
        assert.deepEqual(formatViolations(validateDataset(kind, quads)), []);
      });
    }
  });

  describe('real DFC documents other platforms published (test/fixtures/dfc-real)', (): void => {
    for (const name of [ 'fdc-catalog.json', 'fdc-product.json', 'dfc-prototype-supplied-product.json' ]) {
      it(`accepts ${name} in catalog/`, async(): Promise<void> => {
        const quads = await parseRdf(readRealFixture(name), 'application/ld+json', 'https://pod.example/catalog/x');
        assert.ok(quads.length > 5);
        assert.deepEqual(formatViolations(validateDataset('catalog', quads)), []);
      });
    }
  });

  describe('catalog', (): void => {
    it('accepts a complete product resource', async(): Promise<void> => {
      assert.deepEqual(messagesOf(await validateTurtle('catalog', VALID_PRODUCT)), []);
    });

    it('accepts what DFC leaves optional: a product without name or quantity, an item without sku', async(): Promise<void> => {
      const minimal = VALID_PRODUCT.replace('dfc-b:name "Carrots"; ', '').replace(' dfc-b:hasQuantity <#q>.', ' dfc-b:description "x".')
        .replace('dfc-b:sku "C1"; ', '');
      assert.deepEqual(messagesOf(await validateTurtle('catalog', minimal)), []);
    });

    it('accepts numbers written as text, as DFC publishers write them', async(): Promise<void> => {
      const asText = VALID_PRODUCT.replace('dfc-b:value 1;', 'dfc-b:value "0.4";').replace('dfc-b:stockLimitation 4', 'dfc-b:stockLimitation "11"')
        .replace('dfc-b:value 2.5;', 'dfc-b:value "12.06";').replace('dfc-b:VATrate 5.5', 'dfc-b:VATrate "1"');
      assert.deepEqual(messagesOf(await validateTurtle('catalog', asText)), []);
    });

    it('accepts the link written on the product only (dfc-b:referencedBy), with blank-node price and quantity', async(): Promise<void> => {
      const fdcStyle = `
<#product> a dfc-b:SuppliedProduct; dfc-b:name "Beans"; dfc-b:hasQuantity _:q; dfc-b:referencedBy <#item>; <http://example.org/other#colour> "red".
_:q a dfc-b:QuantitativeValue; dfc-b:value "0.4"; dfc-b:hasUnit dfc-m:Kilogram.
<#item> a dfc-b:CatalogItem; dfc-b:offeredThrough <#offer>; dfc-b:stockLimitation "-1".
<#offer> a dfc-b:Offer; dfc-b:hasPrice _:p.
_:p a dfc-b:Price; dfc-b:value "2.09"; dfc-b:hasUnit dfc-m:PoundSterling; dfc-b:VATrate "0".`;
      assert.deepEqual(messagesOf(await validateTurtle('catalog', fdcStyle)), []);
    });

    it('rejects a catalog item linked to no product, and says why the FMP needs it', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:references <#product>; ', ''),
        'A catalog item must be linked to the supplied product it sells (dfc-b:references on the item, or dfc-b:referencedBy on the product): the FMP cannot show or sell an item that sells nothing.');
    });

    it('rejects a stock limitation that is not a number', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:stockLimitation 4', 'dfc-b:stockLimitation "plenty"'),
        'A catalog item\'s dfc-b:stockLimitation must be a number (a number or numeric text such as "11"; leave it out for unlimited stock).');
    });

    for (const negative of [ '-2.5', '"-2.5"' ]) {
      it(`rejects a negative price (${negative})`, async(): Promise<void> => {
        await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:value 2.5;', `dfc-b:value ${negative};`),
          'A price\'s dfc-b:value must be a number, zero or more (a number or numeric text such as "12.06").');
      });
    }

    it('rejects a price written as text that is not a number', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:value 2.5;', 'dfc-b:value "2,50 EUR";'),
        'A price\'s dfc-b:value must be a number, zero or more (a number or numeric text such as "12.06").');
    });

    it('rejects a price without a unit', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace(' dfc-b:hasUnit dfc-m:Euro;', ''),
        'A price needs exactly one currency as dfc-b:hasUnit (dfc-m:Euro, dfc-m:USDollar, dfc-m:PoundSterling, dfc-m:CanadianDollar or dfc-m:AustralianDollar).');
    });

    it('rejects an offer without a price', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('<#offer> a dfc-b:Offer; dfc-b:hasPrice <#price>.', '<#offer> a dfc-b:Offer.'),
        'An offer needs exactly one dfc-b:hasPrice, a dfc-b:Price with a value and a currency: the FMP\'s orders are priced from it.');
    });

    it('rejects a price whose unit is not a currency', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-m:Euro', 'dfc-m:Kilogram'),
        'A price needs exactly one currency as dfc-b:hasUnit (dfc-m:Euro, dfc-m:USDollar, dfc-m:PoundSterling, dfc-m:CanadianDollar or dfc-m:AustralianDollar).');
    });

    it('accepts VAT rates from 0 to 100 however JSON-LD or Turtle writes them', async(): Promise<void> => {
      for (const rate of [ '0', '100', '5.5', '"1"', '"5.5E0"^^xsd:double', '"1.0E2"^^xsd:double', '"5.5E-1"^^xsd:double' ]) {
        assert.deepEqual(messagesOf(await validateTurtle('catalog', VALID_PRODUCT.replace('dfc-b:VATrate 5.5', `dfc-b:VATrate ${rate}`))),
          [], rate);
      }
    });

    for (const rate of [ '155', '"155"', '"five"', '"1.5E2"^^xsd:double', '-1' ]) {
      it(`rejects a VAT rate that is not a number from 0 to 100 (${rate})`, async(): Promise<void> => {
        await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:VATrate 5.5', `dfc-b:VATrate ${rate}`),
          'A price\'s dfc-b:VATrate must be a number between 0 and 100 (a percentage, e.g. 5.5).');
      });
    }

    it('rejects a quantity whose value is not a number', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-b:value 1;', 'dfc-b:value "one";'),
        'A quantity\'s dfc-b:value must be a number, zero or more (a number or numeric text such as "0.4").');
    });

    it('rejects a quantity whose unit is not a DFC quantity unit', async(): Promise<void> => {
      await assertRejects('catalog', VALID_PRODUCT.replace('dfc-m:Kilogram', '<http://example.org/sacks>'),
        'A quantity needs exactly one dfc-b:hasUnit from the DFC measures taxonomy (a dfc-m: quantity unit such as dfc-m:Kilogram or dfc-m:Piece).');
    });
  });

  describe('profile', (): void => {
    const ENTERPRISE = `
<#farm> a dfc-b:Enterprise; dfc-b:name "Ferme"; dfc-b:hasAddress <#address>; dfc-b:hasMainContact <#contact>.
<#address> a dfc-b:Address; dfc-b:hasPostalCode "26400"; dfc-b:hasCity "Crest".
<#contact> a dfc-b:Person; dfc-b:firstName "Camille".
`;
    it('accepts a farm profile', async(): Promise<void> => {
      assert.deepEqual(messagesOf(await validateTurtle('profile', ENTERPRISE)), []);
    });

    it('rejects an enterprise without a main contact', async(): Promise<void> => {
      await assertRejects('profile', ENTERPRISE.replace(' dfc-b:hasMainContact <#contact>', ''),
        'An enterprise needs exactly one main contact (dfc-b:hasMainContact), described as a dfc-b:Person in the same document.');
    });

    it('rejects an address with neither postal code nor city', async(): Promise<void> => {
      await assertRejects('profile', ENTERPRISE.replace('dfc-b:hasPostalCode "26400"; dfc-b:hasCity "Crest"', 'dfc-b:hasStreet "1 rue"'),
        'An address needs a postal code or a city (dfc-b:hasPostalCode or dfc-b:hasCity).');
    });
  });

  describe('orders', (): void => {
    const ORDER = `
<#order> a dfc-b:Order; dfc-b:orderNumber "7"; dfc-b:hasPart <#line>.
<#line> a dfc-b:OrderLine; dfc-b:concerns <https://pod.example/catalog/c#offer>; dfc-b:quantity 2.
`;
    it('accepts an order with a line', async(): Promise<void> => {
      assert.deepEqual(messagesOf(await validateTurtle('orders', ORDER)), []);
    });

    it('rejects an order without lines', async(): Promise<void> => {
      await assertRejects('orders', '<#order> a dfc-b:Order; dfc-b:orderNumber "7".',
        'An order must list at least one dfc-b:OrderLine in the same document (dfc-b:hasPart).');
    });

    it('rejects an order line that concerns no offer', async(): Promise<void> => {
      await assertRejects('orders', ORDER.replace('dfc-b:concerns <https://pod.example/catalog/c#offer>; ', ''),
        'An order line must concern exactly one offer (dfc-b:concerns, an IRI).');
    });
  });

  describe('land', (): void => {
    const BED = `
<#it> a fmp:LandAsset; schema:name "Bed 1"; fmp:landType fmp:land-bed; geo:hasGeometry <#g>.
<#g> a geo:Geometry; geo:asWKT "POLYGON((5 44, 5.1 44, 5.1 44.1, 5 44))"^^geo:wktLiteral.
`;
    it('accepts a bed with geometry', async(): Promise<void> => {
      assert.deepEqual(messagesOf(await validateTurtle('land', BED)), []);
    });

    it('rejects an unknown land type', async(): Promise<void> => {
      await assertRejects('land', BED.replace('fmp:land-bed', 'fmp:land-garden'),
        'A land asset needs exactly one fmp:landType: fmp:land-property, fmp:land-field, fmp:land-bed, fmp:land-paddock, fmp:land-landmark or fmp:land-other.');
    });

    it('rejects a geometry that is not WKT', async(): Promise<void> => {
      await assertRejects('land', BED.replace('"POLYGON((5 44, 5.1 44, 5.1 44.1, 5 44))"', '"{\\"type\\": \\"Polygon\\"}"'),
        'A land asset has at most one geo:hasGeometry, whose geo:asWKT is a WKT literal.');
    });

    it('rejects a planting without a plant type', async(): Promise<void> => {
      await assertRejects('land', '<#it> a fmp:PlantAsset; schema:name "Tomatoes"; fmp:season "2025".',
        'A plant asset needs at least one fmp:plantType, a concept IRI (preferably a DFC product type such as dfc-pt:tomato).');
    });
  });

  describe('logs', (): void => {
    const HARVEST = `
<#it> a fmp:HarvestLog; dcterms:date "2025-07-08T08:00:00Z"^^xsd:dateTime; fmp:status fmp:status-done;
  fmp:asset <https://pod.example/land/planting-1#it>; fmp:lotNumber "H1"; fmp:quantity <#q>.
<#q> a fmp:Quantity; fmp:measure fmp:measure-weight; dfc-b:value 18; dfc-b:hasUnit dfc-m:Kilogram.
`;
    it('accepts a harvest log', async(): Promise<void> => {
      assert.deepEqual(messagesOf(await validateTurtle('logs', HARVEST)), []);
    });

    it('rejects a log without a timestamp', async(): Promise<void> => {
      await assertRejects('logs', HARVEST.replace('dcterms:date "2025-07-08T08:00:00Z"^^xsd:dateTime; ', ''),
        'A log needs exactly one timestamp (dcterms:date, an xsd:dateTime).');
    });

    it('rejects an unknown status', async(): Promise<void> => {
      await assertRejects('logs', HARVEST.replace('fmp:status-done', 'fmp:status-maybe'),
        'A log needs exactly one fmp:status: fmp:status-pending or fmp:status-done.');
    });

    it('rejects a harvest without a quantity', async(): Promise<void> => {
      await assertRejects('logs', HARVEST.replace('; fmp:quantity <#q>', ''),
        'A harvest log needs at least one fmp:quantity (how much was harvested).');
    });

    it('rejects a quantity without a measure', async(): Promise<void> => {
      await assertRejects('logs', HARVEST.replace('fmp:measure fmp:measure-weight; ', ''),
        'A log quantity needs exactly one fmp:measure, e.g. fmp:measure-weight or fmp:measure-count.');
    });
  });

  describe('report', (): void => {
    it('names focus node, path and message', async(): Promise<void> => {
      const report = await validateTurtle('catalog', VALID_PRODUCT.replace('dfc-b:sku "C1"; ', 'dfc-b:sku ""; '));
      const [ violation ] = report.violations;
      assert.equal(violation.focusNode, 'https://pod.example/catalog/x#item');
      assert.equal(violation.path, 'https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#sku');
      assert.equal(violation.severity, 'Violation');
      assert.deepEqual(formatViolations(report), [
        '<https://pod.example/catalog/x#item> <https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#sku>: A catalog item has at most one dfc-b:sku, non-empty plain text.',
      ]);
    });

    it('ignores data no shape targets', async(): Promise<void> => {
      assert.ok((await validateTurtle('catalog', '<#me> schema:name "not a product".')).conforms);
    });
  });

  describe('registry', (): void => {
    it('builds one validator per kind and reuses it', (): void => {
      const registry = new ShapeRegistry();
      assert.equal(registry.getValidator('catalog'), registry.getValidator('catalog'));
      assert.notEqual(registry.getValidator('catalog'), registry.getValidator('land'));
      assert.equal(getDefaultShapeRegistry(), getDefaultShapeRegistry());
    });
  });
});
