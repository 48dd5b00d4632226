import type { Quad } from '@rdfjs/types';
import { FMP, GEO, SCHEMA } from '../namespaces';
import { withOptional } from './productRdf';
import { iriQuads, type ResourceGraph, stringQuads, typedQuads, typeQuad } from './rdf';
import type { LandAsset, LandType, PlantAsset } from './types';

/** The IRI of a land type concept, e.g. `fmp:land-bed`. */
export function landTypeIri(landType: LandType): string {
  return FMP(`land-${landType}`);
}

/** Turns a land asset into the quads of `land/<slug>`; the asset is `#it`, its geometry `#geometry`. */
export function landAssetToQuads(resourceUrl: string, asset: LandAsset): Quad[] {
  const it = `${resourceUrl}#it`;
  const geometry = `${resourceUrl}#geometry`;
  return [
    typeQuad(it, FMP('LandAsset')),
    ...stringQuads(it, SCHEMA('name'), asset.name),
    ...stringQuads(it, SCHEMA('description'), asset.description),
    ...iriQuads(it, FMP('landType'), landTypeIri(asset.landType)),
    ...iriQuads(it, SCHEMA('containedInPlace'), asset.containedIn),
    ...asset.wkt === undefined ? [] : [
      ...iriQuads(it, GEO('hasGeometry'), geometry),
      typeQuad(geometry, GEO('Geometry')),
      ...typedQuads(geometry, GEO('asWKT'), GEO('wktLiteral'), asset.wkt),
    ],
  ];
}

/** Turns a planting into the quads of `land/<slug>`; the planting is `#it`. */
export function plantAssetToQuads(resourceUrl: string, plant: PlantAsset): Quad[] {
  const it = `${resourceUrl}#it`;
  return [
    typeQuad(it, FMP('PlantAsset')),
    ...stringQuads(it, SCHEMA('name'), plant.name),
    ...iriQuads(it, FMP('plantType'), plant.plantType),
    ...stringQuads(it, FMP('season'), plant.season),
    ...stringQuads(it, FMP('variety'), plant.variety),
    ...iriQuads(it, SCHEMA('location'), plant.location),
  ];
}

/** Reads the land asset of a resource, or `undefined` if it holds none. */
export function quadsToLandAsset(slug: string, graph: ResourceGraph): LandAsset | undefined {
  const it = graph.getSubjectsOfType(FMP('LandAsset'))[0];
  const landType = it ? graph.getValue(it, FMP('landType'))?.replace(FMP('land-'), '') as LandType | undefined : undefined;
  const name = it ? graph.getValue(it, SCHEMA('name')) : undefined;
  if (!it || !landType || name === undefined) {
    return undefined;
  }
  const geometry = graph.getNode(it, GEO('hasGeometry'));
  let asset: LandAsset = { slug, name, landType };
  asset = withOptional(asset, 'description', graph.getValue(it, SCHEMA('description')));
  asset = withOptional(asset, 'containedIn', graph.getValue(it, SCHEMA('containedInPlace')));
  return withOptional(asset, 'wkt', geometry ? graph.getValue(geometry, GEO('asWKT')) : undefined);
}

/** Reads the planting of a resource, or `undefined` if it holds none. */
export function quadsToPlantAsset(slug: string, graph: ResourceGraph): PlantAsset | undefined {
  const it = graph.getSubjectsOfType(FMP('PlantAsset'))[0];
  const name = it ? graph.getValue(it, SCHEMA('name')) : undefined;
  const plantType = it ? graph.getValue(it, FMP('plantType')) : undefined;
  if (!it || name === undefined || plantType === undefined) {
    return undefined;
  }
  let plant: PlantAsset = { slug, name, plantType, season: graph.getValue(it, FMP('season')) ?? '' };
  plant = withOptional(plant, 'variety', graph.getValue(it, FMP('variety')));
  return withOptional(plant, 'location', graph.getValue(it, SCHEMA('location')));
}
