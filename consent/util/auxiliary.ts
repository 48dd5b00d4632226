// CSS's default auxiliary strategy uses these suffixes for ACL, ACR and description resources.
const AUXILIARY_SUFFIXES = [ '.acl', '.acr', '.meta' ];

/** True if the IRI is an auxiliary resource (.acl, .acr, .meta) that grants must never cover. */
export function isAuxiliaryResource(iri: string): boolean {
  return AUXILIARY_SUFFIXES.some((suffix): boolean => iri.endsWith(suffix));
}
