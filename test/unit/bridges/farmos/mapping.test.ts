import { strict as assert } from 'node:assert';
import { FarmosMappingError } from '../../../../bridges/farmos/FarmosMappingError';
import type { Resource } from '../../../../bridges/farmos/jsonApi';
import { farmosToPod, fractionOf, numberOfFraction, payloadDocument, podToFarmos, recordsOf } from '../../../../bridges/farmos/mapping';
import { checkResource } from '../../../../bridges/farmos/schemas';
import { dfcUnitOf, farmosUnitName } from '../../../../bridges/farmos/units';
import { uuidFromName } from '../../../../bridges/farmos/uuid';
import type { PodItem } from '../../../../bridges/runtime/TargetAdapter';
import { landAssetToQuads, plantAssetToQuads, quadsToLandAsset, quadsToPlantAsset } from '../../../../shapes/access/landRdf';
import { logToQuads, quadsToLog } from '../../../../shapes/access/logRdf';
import { ResourceGraph } from '../../../../shapes/access/rdf';
import type { FarmLog, LandAsset, PlantAsset } from '../../../../shapes/access/types';
import { DFC_M, DFC_PT } from '../../../../shapes/namespaces';
import { validateDataset } from '../../../../shapes/validateDataset';

const POD = 'https://fmp.example/greenacres/';
const NORTH: LandAsset = { slug: 'north', name: 'North field', landType: 'field', wkt: 'POLYGON((0 0, 10 0, 10 10, 0 0))',
  description: 'Loam, drained in 2019' };
const BED: LandAsset = { slug: 'bed-1', name: 'Bed 1', landType: 'bed', containedIn: `${POD}land/north#it` };
const TOMATOES: PlantAsset = { slug: 'tomatoes', name: 'Tomatoes 2026', plantType: DFC_PT('tomato'), season: '2026', variety: 'Roma',
  location: `${POD}land/bed-1#it` };
const HARVEST: FarmLog = { slug: 'harvest-1', type: 'harvest', name: 'First tomatoes', timestamp: '2026-08-01T09:30:00Z', status: 'done',
  assets: [ `${POD}land/tomatoes#it` ], location: `${POD}land/bed-1#it`, lotNumber: 'T-2026-01', notes: 'Sunny morning',
  quantities: [{ measure: 'weight', value: 12.5, unit: DFC_M('Kilogram') }, { measure: 'count', value: 3, unit: DFC_M('Crate') }]};

function landItem(asset: LandAsset): PodItem {
  const url = `${POD}land/${asset.slug}`;
  return { url, quads: landAssetToQuads(url, asset) };
}

function plantItem(plant: PlantAsset): PodItem {
  const url = `${POD}land/${plant.slug}`;
  return { url, quads: plantAssetToQuads(url, plant) };
}

function logItem(log: FarmLog): PodItem {
  const url = `${POD}logs/${log.slug}`;
  return { url, quads: logToQuads(url, log) };
}

/** What farmOS answers a GET with include for a payload the bridge sent: the record with what it refers to. */
function asFarmosHasIt(item: PodItem, related: PodItem[] = []): { data: Resource; included: Resource[] } {
  const payload = podToFarmos(item, POD)!;
  return { data: { ...payload.record, attributes: { ...payload.record.attributes, changed: '2026-08-01T10:00:00+00:00' }},
    included: [ ...payload.terms, ...payload.quantities, ...related.map((other): Resource => podToFarmos(other, POD)!.record) ]};
}

describe('The farmOS mapping', (): void => {
  it('makes a land asset a fixed asset--land location with its WKT, type, notes and parent, valid by farmOS\'s schema.', (): void => {
    const { record } = podToFarmos(landItem(BED), POD)!;
    assert.deepEqual(checkResource(record, true), []);
    const north = podToFarmos(landItem(NORTH), POD)!.record;
    assert.deepEqual(checkResource(north, true), []);
    assert.equal(north.type, 'asset--land');
    assert.deepEqual(north.attributes, { name: 'North field', status: 'active', land_type: 'field', is_location: true, is_fixed: true,
      data: 'fmp:land/north', intrinsic_geometry: { value: NORTH.wkt }, notes: { value: NORTH.description, format: 'default' }});
    assert.deepEqual(record.relationships?.parent.data, [{ type: 'asset--land', id: north.id }]);
  });

  it('gives a pod resource the same farmOS UUID every time, and different resources different ones.', (): void => {
    assert.equal(podToFarmos(landItem(NORTH), POD)!.record.id, podToFarmos(landItem(NORTH), POD)!.record.id);
    assert.notEqual(podToFarmos(landItem(NORTH), POD)!.record.id, podToFarmos(landItem(BED), POD)!.record.id);
    assert.match(uuidFromName('x'), /^[\da-f]{8}-[\da-f]{4}-5[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/u);
    // A record that came from farmOS keeps its own UUID.
    const fromFarmos = landItem({ ...NORTH, slug: 'farmos-0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d' });
    assert.equal(podToFarmos(fromFarmos, POD)!.record.id, '0b5c3b4e-1d2f-4a6b-9c8d-7e6f5a4b3c2d');
  });

  it('makes a planting an asset--plant with plant type and season terms, valid by farmOS\'s schemas.', (): void => {
    const payload = podToFarmos(plantItem(TOMATOES), POD)!;
    const document = payloadDocument(payload);
    for (const resource of [ document.data as Resource, ...document.included! ]) {
      assert.deepEqual(checkResource(resource, true), [], resource.type);
    }
    assert.deepEqual(payload.terms.map((term): unknown => [ term.type, term.attributes?.name ]),
      [[ 'taxonomy_term--plant_type', 'tomato' ], [ 'taxonomy_term--season', '2026' ]]);
    assert.equal(payload.record.relationships?.location, undefined, 'farmOS computes a plant\'s location from movement logs');
  });

  it('makes a harvest a log--harvest whose quantities (made before it) carry fractions and units.', (): void => {
    const payload = podToFarmos(logItem(HARVEST), POD)!;
    for (const resource of [ payload.record, ...payload.terms, ...payload.quantities ]) {
      assert.deepEqual(checkResource(resource, true), [], resource.type);
    }
    assert.deepEqual(payload.quantities.map((quantity): unknown => quantity.attributes),
      [{ measure: 'weight', value: { numerator: 125, denominator: 10 }}, { measure: 'count', value: { numerator: 3, denominator: 1 }}]);
    assert.deepEqual(payload.terms.map((term): unknown => term.attributes?.name), [ 'kg', 'crate' ]);
    assert.deepEqual(payload.record.relationships?.quantity.data, payload.quantities.map((q): unknown => ({ type: q.type, id: q.id })));
    assert.equal(payload.record.attributes?.lot_number, 'T-2026-01');
    assert.deepEqual(payload.record.attributes?.notes, { value: 'Sunny morning', format: 'default' });
  });

  it('reads back what it sends: land, planting and harvest come out of farmOS as they went in.', (): void => {
    for (const asset of [ NORTH, BED ]) {
      const item = farmosToPod(asFarmosHasIt(landItem(asset), [ landItem(NORTH) ]), landItem(asset), POD);
      assert.deepEqual(quadsToLandAsset(asset.slug, new ResourceGraph(item.quads)), asset);
    }
    const plant = farmosToPod(asFarmosHasIt(plantItem(TOMATOES)), plantItem(TOMATOES), POD);
    assert.deepEqual(quadsToPlantAsset('tomatoes', new ResourceGraph(plant.quads)), TOMATOES, 'variety and location kept from the pod');
    const log = farmosToPod(asFarmosHasIt(logItem(HARVEST), [ plantItem(TOMATOES), landItem(BED) ]), undefined, POD);
    assert.equal(log.url, `${POD}logs/harvest-1`, 'the pod path farmOS keeps in `data` finds the resource');
    assert.deepEqual(quadsToLog('harvest-1', new ResourceGraph(log.quads)), HARVEST);
    assert.equal(validateDataset('logs', log.quads).conforms, true);
  });

  it('takes a harvest made in farmOS, with its units and fractions, into a valid pod log under logs/farmos-<uuid>.', (): void => {
    const document = {
      data: [{ type: 'log--harvest', id: '6a2f3c10-8b7e-4f21-9d3a-0c5e7b9a1d24',
        attributes: { name: 'Harvest carrots', timestamp: '2026-09-02T14:00:00+00:00', status: 'done', lot_number: 'C-7',
          notes: { value: 'Big ones', format: 'default' }, changed: '2026-09-02T14:05:00+00:00' },
        relationships: {
          asset: { data: [{ type: 'asset--plant', id: 'f1e2d3c4-b5a6-4789-8abc-def012345678' }]},
          quantity: { data: [{ type: 'quantity--standard', id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }]},
        }}],
      included: [
        { type: 'quantity--standard', id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
          attributes: { measure: 'weight', value: { numerator: 45, denominator: 2, decimal: '22.5' }},
          relationships: { units: { data: { type: 'taxonomy_term--unit', id: '11111111-2222-4333-8444-555555555555' }}}},
        { type: 'taxonomy_term--unit', id: '11111111-2222-4333-8444-555555555555', attributes: { name: 'Kilograms' }},
        { type: 'asset--plant', id: 'f1e2d3c4-b5a6-4789-8abc-def012345678', attributes: { name: 'Carrots', data: 'fmp:land/carrots' }},
      ],
    };
    const [ record ] = recordsOf(document);
    const item = farmosToPod(record, undefined, POD);
    assert.equal(item.url, `${POD}logs/farmos-6a2f3c10-8b7e-4f21-9d3a-0c5e7b9a1d24`);
    assert.deepEqual(quadsToLog('x', new ResourceGraph(item.quads)), { slug: 'x', type: 'harvest', name: 'Harvest carrots',
      timestamp: '2026-09-02T14:00:00Z', status: 'done', assets: [ `${POD}land/carrots#it` ], lotNumber: 'C-7', notes: 'Big ones',
      quantities: [{ measure: 'weight', value: 22.5, unit: DFC_M('Kilogram') }]});
    assert.equal(validateDataset('logs', item.quads).conforms, true);
  });

  it('refuses with a precise reason what it cannot map.', (): void => {
    assert.throws((): unknown => dfcUnitOf('bushels'), /farmOS unit "bushels" is not a unit of the DFC measures taxonomy/u);
    assert.throws((): unknown => farmosUnitName('https://example.org/units#furlong'), FarmosMappingError);
    assert.throws((): unknown => podToFarmos(logItem({ ...HARVEST, type: 'activity', quantities: [] }), POD),
      /lot numbers on harvest and seeding logs only/u);
    assert.throws((): unknown => podToFarmos(logItem({ ...HARVEST, assets: [ 'https://elsewhere.example/land/x#it' ]}), POD),
      /assets\[0\]: .* is not a land asset, planting or log of this pod/u);
    const plantWithoutType = { data: { type: 'asset--plant', id: 'f1e2d3c4-b5a6-4789-8abc-def012345678', attributes: { name: 'P' }},
      included: []};
    assert.throws((): unknown => farmosToPod(plantWithoutType, undefined, POD), /a plant needs a plant type/u);
  });

  it('writes decimals as farmOS fractions and reads either form back.', (): void => {
    assert.deepEqual(fractionOf(0.25), { numerator: 25, denominator: 100 });
    assert.deepEqual(fractionOf(7), { numerator: 7, denominator: 1 });
    assert.equal(numberOfFraction({ numerator: 1, denominator: 3 }), 1 / 3);
    assert.equal(numberOfFraction({ decimal: '2.75' }), 2.75);
    assert.throws((): unknown => numberOfFraction({}), FarmosMappingError);
    assert.equal(dfcUnitOf('lbs'), DFC_M('PoundMass'));
    assert.equal(dfcUnitOf(farmosUnitName(DFC_M('Bunch'))), DFC_M('Bunch'));
  });
});
