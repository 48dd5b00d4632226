import { landAssetToQuads, plantAssetToQuads, quadsToLandAsset, quadsToPlantAsset } from './landRdf';
import { containerUrl, type PodOptions, readAll, resourceUrl, writeResource } from './podIo';
import type { LandAsset, PlantAsset } from './types';

/** Lists the land assets in a pod's `land/` container (plantings are skipped). */
export async function listLandAssets(podUrl: string, options: PodOptions = {}): Promise<LandAsset[]> {
  return readAll(containerUrl(podUrl, 'land'), quadsToLandAsset, options);
}

/** Writes a land asset to `land/<slug>` after validating it; throws `ShapeViolationError` before sending if invalid. */
export async function saveLandAsset(podUrl: string, asset: LandAsset, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'land', asset.slug);
  await writeResource('land', url, landAssetToQuads(url, asset), options);
}

/** Lists the plantings in a pod's `land/` container (land assets are skipped). */
export async function listPlantAssets(podUrl: string, options: PodOptions = {}): Promise<PlantAsset[]> {
  return readAll(containerUrl(podUrl, 'land'), quadsToPlantAsset, options);
}

/** Writes a planting to `land/<slug>` after validating it; throws `ShapeViolationError` before sending if invalid. */
export async function savePlantAsset(podUrl: string, plant: PlantAsset, options: PodOptions = {}): Promise<void> {
  const url = resourceUrl(podUrl, 'land', plant.slug);
  await writeResource('land', url, plantAssetToQuads(url, plant), options);
}
