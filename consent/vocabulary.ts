// IRIs of the vocabularies consent data is written in.
// GConsent + acl:mode follow Inrupt's access grants; see consent/README.md for why each term was chosen.

const GC_NS = 'https://w3id.org/GConsent#';
const ACL_NS = 'http://www.w3.org/ns/auth/acl#';
const ACP_NS = 'http://www.w3.org/ns/solid/acp#';
const CRED_NS = 'https://www.w3.org/2018/credentials#';
const DCTERMS_NS = 'http://purl.org/dc/terms/';
const PROV_NS = 'http://www.w3.org/ns/prov#';
const TIME_NS = 'http://www.w3.org/2006/time#';
const FMP_NS = 'https://w3id.org/fmp-vault/ns#';

/** Namespace prefixes used when writing Turtle. */
export const PREFIXES = {
  gc: GC_NS,
  acl: ACL_NS,
  acp: ACP_NS,
  cred: CRED_NS,
  dcterms: DCTERMS_NS,
  prov: PROV_NS,
  time: TIME_NS,
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  fmp: FMP_NS,
} as const;

/** rdf:type. */
export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
/** rdfs:label, used for a peer's display name. */
export const RDFS_LABEL = `${PREFIXES.rdfs}label`;
/** xsd datatypes we write. */
export const XSD = {
  dateTime: `${PREFIXES.xsd}dateTime`,
  duration: `${PREFIXES.xsd}duration`,
} as const;

/** GConsent terms (https://w3id.org/GConsent). */
export const GC = {
  Consent: `${GC_NS}Consent`,
  isConsentForDataSubject: `${GC_NS}isConsentForDataSubject`,
  isProvidedTo: `${GC_NS}isProvidedTo`,
  forPersonalData: `${GC_NS}forPersonalData`,
  forPurpose: `${GC_NS}forPurpose`,
  hasStatus: `${GC_NS}hasStatus`,
  ConsentStatusExplicitlyGiven: `${GC_NS}ConsentStatusExplicitlyGiven`,
  ConsentStatusWithdrawn: `${GC_NS}ConsentStatusWithdrawn`,
  ConsentStatusRequested: `${GC_NS}ConsentStatusRequested`,
  ConsentStatusRefused: `${GC_NS}ConsentStatusRefused`,
} as const;

/** Web Access Control modes, as Inrupt's grants use them in `acl:mode`. */
export const ACL = {
  mode: `${ACL_NS}mode`,
  Read: `${ACL_NS}Read`,
  Append: `${ACL_NS}Append`,
  Write: `${ACL_NS}Write`,
} as const;

/** ACP matcher terms, reused to say which client or issuer a grant is for. */
export const ACP = {
  Matcher: `${ACP_NS}Matcher`,
  agent: `${ACP_NS}agent`,
  client: `${ACP_NS}client`,
  issuer: `${ACP_NS}issuer`,
} as const;

/** Validity period terms of the VC Data Model 2.0. */
export const CRED = {
  validFrom: `${CRED_NS}validFrom`,
  validUntil: `${CRED_NS}validUntil`,
} as const;

/** Dublin Core terms. */
export const DCTERMS = {
  description: `${DCTERMS_NS}description`,
  issued: `${DCTERMS_NS}issued`,
  created: `${DCTERMS_NS}created`,
} as const;

/** PROV-O: when a grant stopped being valid (revocation). */
export const PROV = {
  invalidatedAtTime: `${PROV_NS}invalidatedAtTime`,
} as const;

/** OWL-Time: the duration an access request asks for. */
export const TIME = {
  hasXSDDuration: `${TIME_NS}hasXSDDuration`,
} as const;

/** Terms minted by fmp-vault, only where no existing vocabulary fits. */
export const FMP = {
  Grant: `${FMP_NS}Grant`,
  AccessRequest: `${FMP_NS}AccessRequest`,
} as const;
