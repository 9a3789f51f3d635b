// Type-level test of index.d.ts (`tsc --noEmit -p npm/test/types`): typical uses compile
// under `strict`, and misuses are errors (@ts-expect-error fails the build if they are not).
import {
  init,
  check,
  checkObject,
  clientSecretEnvVar,
  rules,
  profiles,
  layers,
  version,
  ParseError,
  InvalidNameError,
  OptionsError,
  MCPAuthGuardError,
  type Report,
  type Diagnostic,
  type CheckOptions,
  type Layer,
  type Severity,
  type JsonValue,
} from 'mcpauth-guard';

export async function main(text: string): Promise<number> {
  await init();
  const options: CheckOptions = { profile: 'v0.13', consumer: 'VirtualMCPServer', scopes: ['openid'] };
  const report: Report = check(text, options);
  let errors = 0;
  for (const doc of report.documents) {
    const kind: 'MCPExternalAuthConfig' | 'MCPServer' | 'MCPRemoteProxy' | 'VirtualMCPServer' | 'RunConfig' | 'Unknown' = doc.kind;
    void kind;
    for (const d of doc.diagnostics) {
      const layer: Layer = d.layer;
      const severity: Severity = d.severity;
      const start: number | undefined = d.offset;
      if (d.fix) {
        const value: JsonValue = d.fix.value;
        void value;
      }
      if (severity === 'error' && layer !== 'advice' && start !== undefined) errors++;
    }
    const env = doc.derived?.env.map((e) => `${e.name}=${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);
    void env;
    const issuer: JsonValue | undefined = doc.derived?.runConfig['issuer'];
    void issuer;
  }
  try {
    clientSecretEnvVar('Okta_Prod');
  } catch (e) {
    if (e instanceof InvalidNameError) {
      const s: string | undefined = e.suggestion;
      const r: string = e.reason;
      void s, r;
    } else if (e instanceof ParseError) {
      const line: number | undefined = e.line;
      void line;
    } else if (e instanceof OptionsError || e instanceof MCPAuthGuardError) {
      const o: string = e.message;
      void o;
    }
  }
  const r = rules()[0];
  const decidable: boolean = r.decidable;
  const why: string | undefined = r.undecidable?.reason;
  void decidable, why;
  const p: boolean = profiles()[0].available;
  const c: string = layers()[0].consequence;
  const v: string = version;
  void p, c, v;
  checkObject({ kind: 'MCPServer' });

  // @ts-expect-error: unknown profile
  check(text, { profile: 'v9' });
  // @ts-expect-error: unknown option
  check(text, { profle: 'v0.13' });
  // @ts-expect-error: the text must be a string
  check(42);
  // @ts-expect-error: severities are a closed set
  const bad: Severity = 'fatal';
  void bad;
  const d: Diagnostic = report.documents[0].diagnostics[0];
  // @ts-expect-error: no `any`: unknown fields are errors
  void d.nonexistent;
  return errors;
}
