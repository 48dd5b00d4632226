import type { Quad } from '@rdfjs/types';
import { DFC_B } from '../namespaces';
import { iriQuads, stringQuads, typeQuad } from './rdf';
import type { Enterprise } from './types';

/**
 * Turns the farm profile into the quads of `profile/enterprise`: the enterprise (`#enterprise`),
 * its address (`#address`) and main contact (`#contact`). Address terms follow OFN and the DFC
 * connectors (dfc-b:hasStreet, hasPostalCode, hasCity).
 */
export function enterpriseToQuads(resourceUrl: string, enterprise: Enterprise): Quad[] {
  const [ it, address, contact ] = [ '#enterprise', '#address', '#contact' ].map((hash): string => `${resourceUrl}${hash}`);
  return [
    typeQuad(it, DFC_B('Enterprise')),
    ...stringQuads(it, DFC_B('name'), enterprise.name),
    ...stringQuads(it, DFC_B('hasDescription'), enterprise.description),
    ...stringQuads(it, DFC_B('VATnumber'), enterprise.vatNumber),
    ...stringQuads(it, DFC_B('email'), enterprise.email),
    ...iriQuads(it, DFC_B('hasAddress'), address),
    ...iriQuads(it, DFC_B('hasMainContact'), contact),
    typeQuad(address, DFC_B('Address')),
    ...stringQuads(address, DFC_B('hasStreet'), enterprise.address.street),
    ...stringQuads(address, DFC_B('hasPostalCode'), enterprise.address.postalCode),
    ...stringQuads(address, DFC_B('hasCity'), enterprise.address.city),
    ...iriQuads(address, DFC_B('hasCountry'), enterprise.address.country),
    typeQuad(contact, DFC_B('Person')),
    ...stringQuads(contact, DFC_B('firstName'), enterprise.mainContact.firstName),
    ...stringQuads(contact, DFC_B('familyName'), enterprise.mainContact.familyName),
  ];
}
