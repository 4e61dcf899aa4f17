// Sign-in through the agency's identity provider with OpenID Connect (authorization code with PKCE),
// by oidc-client-ts, a maintained certified-style client made for exactly this. The access token it
// obtains is what the API verifies against the provider's JWKS (MOTCUA_JWKS_URL); the provider must
// put the person's role and agency in it (docs/console.md#signing-in).
import { UserManager } from 'oidc-client-ts';

export interface IdentityProvider {
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
}

/** Where the provider sends the browser back: a screen of the console (src/routes.tsx). */
export const SIGNED_IN_PATH = '/console/signed-in';

function manager(provider: IdentityProvider): UserManager {
  return new UserManager({
    authority: provider.authority,
    client_id: provider.clientId,
    redirect_uri: `${location.origin}${SIGNED_IN_PATH}`,
    post_logout_redirect_uri: `${location.origin}/console/`,
    response_type: 'code',
    scope: provider.scope,
    // The console keeps its own session (src/auth/session.tsx); nothing of the provider's is kept.
    monitorSession: false,
    automaticSilentRenew: false,
  });
}

export async function startIdentityProviderSignIn(provider: IdentityProvider): Promise<void> {
  await manager(provider).signinRedirect();
}

/** Completes the sign-in on the return from the provider: the access token for the API. */
export async function completeIdentityProviderSignIn(provider: IdentityProvider): Promise<string> {
  const oidc = manager(provider);
  const user = await oidc.signinRedirectCallback();
  // oidc-client-ts keeps the user (its tokens) in sessionStorage; the console's session is the only
  // copy it needs, so signing out leaves no token of the provider's behind.
  await oidc.removeUser();
  return user.access_token;
}
