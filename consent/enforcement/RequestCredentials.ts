/** The credentials of a request, shaped like CSS's `Credentials` so the pod server can pass them as they are. */
export interface RequestCredentials {
  agent?: { webId: string };
  client?: { clientId: string };
  issuer?: { url: string };
}

/** The permissions a request may get from grants, shaped like CSS's `PermissionSet`. Only `true` is ever set. */
export interface GrantPermissionSet {
  read?: true;
  append?: true;
  write?: true;
  create?: true;
  delete?: true;
}
