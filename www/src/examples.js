// The examples menu: the project's examples/ (read at build time by vite.config.js; those under
// examples/<profile>/ carry that profile), plus built-in ones, so the playground always opens
// on a multi-upstream example.
import projectExamples from 'virtual:examples';

/** The default document: two upstreams (GitHub over OAuth 2.0, Okta over OIDC). */
export const TWO_UPSTREAMS = `# Two upstream identity providers behind one embedded auth server.
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPExternalAuthConfig
metadata:
  name: github-and-okta
  namespace: default
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    signingKeySecretRefs:
      - name: auth-signing-key
        key: private.pem
    hmacSecretRefs:
      - name: auth-hmac
        key: hmac
    upstreamProviders:
      - name: github
        type: oauth2
        oauth2Config:
          authorizationEndpoint: https://github.com/login/oauth/authorize
          tokenEndpoint: https://github.com/login/oauth/access_token
          clientId: Iv1.0123456789abcdef
          clientSecretRef:
            name: github-oauth
            key: client-secret
          redirectUri: https://mcp.example.com/oauth/callback
          userInfo:
            endpointUrl: https://api.github.com/user
      - name: okta
        type: oidc
        oidcConfig:
          issuerUrl: https://example.okta.com
          clientId: 0oa1example
          clientSecretRef:
            name: okta-oidc
            key: client-secret
          redirectUri: https://mcp.example.com/oauth/callback
`;

/** `n` upstreams (alternating OIDC and OAuth 2.0): the benchmark's large document. */
export function manyUpstreams(n) {
  const ups = [];
  for (let i = 0; i < n; i++) {
    const name = `provider-${String(i).padStart(3, '0')}`;
    ups.push(
      i % 2
        ? `      - name: ${name}
        type: oauth2
        oauth2Config:
          authorizationEndpoint: https://idp${i}.example.com/authorize
          tokenEndpoint: https://idp${i}.example.com/token
          clientId: client-${i}
          clientSecretRef:
            name: ${name}-oauth
            key: client-secret
          redirectUri: https://mcp.example.com/oauth/callback
          userInfo:
            endpointUrl: https://idp${i}.example.com/userinfo
`
        : `      - name: ${name}
        type: oidc
        oidcConfig:
          issuerUrl: https://idp${i}.example.com
          clientId: client-${i}
          clientSecretRef:
            name: ${name}-oidc
            key: client-secret
          redirectUri: https://mcp.example.com/oauth/callback
`,
    );
  }
  return `# ${n} upstream identity providers.
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPExternalAuthConfig
metadata:
  name: many-upstreams
  namespace: default
spec:
  type: embeddedAuthServer
  embeddedAuthServer:
    issuer: https://auth.example.com
    signingKeySecretRefs:
      - name: auth-signing-key
        key: private.pem
    hmacSecretRefs:
      - name: auth-hmac
        key: hmac
    upstreamProviders:
${ups.join('')}`;
}

const BUILT_IN = [
  { id: 'builtin:two-upstreams', label: 'Two upstreams (GitHub + Okta)', text: TWO_UPSTREAMS },
  {
    id: 'builtin:bad-name',
    label: 'Broken: upstream name Okta_Prod',
    text: TWO_UPSTREAMS.replace('- name: okta\n', '- name: Okta_Prod\n'),
  },
  {
    id: 'builtin:reserved-default',
    label: 'Broken: second upstream named default',
    text: TWO_UPSTREAMS.replace('- name: okta\n', '- name: default\n'),
  },
  { id: 'builtin:many', label: '100 upstreams', text: manyUpstreams(100) },
];

function labelOf(file) {
  const base = file.replace(/\.ya?ml$/, '');
  return base.replace(/[-_]+/g, ' ');
}

/**
 * Every example: built-ins first, then the project's examples/ directory. `profile` is set for
 * examples written for a profile other than the default one (selecting them selects it).
 */
export const EXAMPLES = [
  ...BUILT_IN,
  ...projectExamples.map((e) => ({
    id: `examples/${e.file}`,
    label: e.profile ? `examples/${e.file} (profile ${e.profile})` : `examples/${e.file}`,
    text: e.text,
    title: labelOf(e.file),
    profile: e.profile,
  })),
];

/** The example the playground opens on: the project's multi-upstream example when present. */
export const DEFAULT_EXAMPLE = EXAMPLES.find((e) => e.id === 'examples/multi-upstream.yaml') ?? EXAMPLES[0];
