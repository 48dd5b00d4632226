import type { JWTPayload } from 'jose';
import type { Grant, Grantee, GrantMode } from '../model/Grant';
import { FMP_MEMBERS_AGENT, getGranteeId, PUBLIC_AGENT } from '../model/Grant';
import { freezeGrant } from '../model/freezeGrant';
import { InvalidGrantClaimsError } from './errors';
import { GRANT_CREDENTIAL_TYPE } from './grantCredentialClaims';

const MODES: Record<string, GrantMode> = { Read: 'read', Append: 'append', Write: 'write' };

type Json = Record<string, unknown>;

/** Rebuilds the grant from verified claims; anything missing or unknown is an InvalidGrantClaimsError. */
export function grantFromClaims(payload: JWTPayload): Grant {
  const vc = asObject(payload.vc, 'vc');
  if (!Array.isArray(vc.type) || !vc.type.includes('VerifiableCredential') || !vc.type.includes(GRANT_CREDENTIAL_TYPE)) {
    throw new InvalidGrantClaimsError(`vc.type must include VerifiableCredential and ${GRANT_CREDENTIAL_TYPE}.`);
  }
  const subject = asObject(vc.credentialSubject, 'vc.credentialSubject');
  const consent = asObject(subject.hasConsent, 'vc.credentialSubject.hasConsent');
  const grantee = toGrantee(consent.isProvidedTo);
  if (getGranteeId(grantee) !== payload.sub || (subject.id !== undefined && subject.id !== payload.sub)) {
    throw new InvalidGrantClaimsError('sub, credentialSubject.id and isProvidedTo do not name the same grantee.');
  }
  const purposeIri = consent.forPurpose;
  return freezeGrant({
    id: asString(payload.jti, 'jti'),
    grantor: asString(consent.isConsentForDataSubject, 'isConsentForDataSubject'),
    grantee,
    scope: asStrings(consent.forPersonalData, 'forPersonalData'),
    modes: asStrings(consent.mode, 'mode').map(toMode),
    purpose: purposeIri === undefined ?
      { text: asString(consent.description, 'description') } :
      { text: asString(consent.description, 'description'), iri: asString(purposeIri, 'forPurpose') },
    validFrom: new Date(payload.nbf! * 1_000),
    validUntil: new Date(payload.exp! * 1_000),
    status: 'active',
    issuedAt: new Date(payload.iat! * 1_000),
  });
}

function toGrantee(claim: unknown): Grantee {
  if (claim === PUBLIC_AGENT) {
    return { kind: 'public' };
  }
  if (claim === FMP_MEMBERS_AGENT) {
    return { kind: 'fmp-members' };
  }
  if (typeof claim === 'string') {
    return { kind: 'agent', webId: claim };
  }
  const matcher = asObject(claim, 'isProvidedTo');
  if (typeof matcher.client === 'string') {
    return matcher.agent === undefined ?
      { kind: 'app', clientId: matcher.client } :
      { kind: 'app', clientId: matcher.client, webId: asString(matcher.agent, 'isProvidedTo.agent') };
  }
  const issuer = asString(matcher.oidcIssuer, 'isProvidedTo.oidcIssuer');
  return matcher.label === undefined ?
    { kind: 'peer', issuer } :
    { kind: 'peer', issuer, peerName: asString(matcher.label, 'isProvidedTo.label') };
}

function toMode(name: string): GrantMode {
  const mode = MODES[name];
  if (!mode) {
    throw new InvalidGrantClaimsError(`Unsupported mode ${JSON.stringify(name)}; grants carry only Read, Append, Write.`);
  }
  return mode;
}

function asObject(value: unknown, name: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidGrantClaimsError(`${name} must be an object.`);
  }
  return value as Json;
}

function asString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidGrantClaimsError(`${name} must be a non-empty string.`);
  }
  return value;
}

function asStrings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidGrantClaimsError(`${name} must be a non-empty array.`);
  }
  return value.map((item): string => asString(item, name));
}
