// The consumer test: `npm pack` the built package (npm/pkg, from scripts/build-web.sh),
// install the tarball into a fresh temporary project and run that project's tests
// (npm/test/fixture) with `node --test`, importing the package by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, cpSync, rmSync, existsSync, readdirSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkgDir = join(here, '..', 'pkg');
const examples = join(here, '..', '..', 'examples');
let tmp;
let packed;

before(() => {
  assert.ok(existsSync(join(pkgDir, 'package.json')), 'npm/pkg is built (scripts/build-web.sh --npm-only)');
  tmp = mkdtempSync(join(tmpdir(), 'mcpauth-guard-consumer-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: pkgDir, encoding: 'utf8' });
  packed = JSON.parse(out)[0];
  const project = join(tmp, 'project');
  mkdirSync(project);
  // The fixtures are named *.fixture.mjs so that `node --test` here does not run them.
  for (const f of readdirSync(join(here, 'fixture'))) {
    cpSync(join(here, 'fixture', f), join(project, f.replace('.fixture.mjs', '.test.mjs')));
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(tmp, packed.filename)], { cwd: project, stdio: 'inherit' });
});

test('the package types check under tsc --strict, resolved through package.json exports', () => {
  const tsc = join(here, '..', 'tools', 'node_modules', '.bin', 'tsc');
  assert.ok(existsSync(tsc), 'typescript is installed in npm/tools (npm ci)');
  const project = join(tmp, 'project');
  cpSync(join(here, 'types', 'usage.ts'), join(project, 'usage.ts'));
  const config = JSON.parse(readFileSync(join(here, 'types', 'tsconfig.json'), 'utf8'));
  delete config.compilerOptions.paths; // resolve 'mcpauth-guard' from node_modules, as users do
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config));
  const r = spawnSync(tsc, ['-p', project], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

after(() => {
  if (tmp && !process.env.KEEP_CONSUMER) rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds exactly the package files', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of ['package.json', 'README.md', 'index.js', 'node.js', 'api.js', 'index.d.ts', 'mcpauth_guard_wasm.js', 'mcpauth_guard_wasm_bg.wasm']) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  assert.ok(files.every((f) => !f.startsWith('test') && !f.endsWith('.rs')), files.join(', '));
  assert.equal(packed.name, 'mcpauth-guard');
});

test('a fresh project imports the package and its tests pass (node --test)', () => {
  // Without NODE_TEST_CONTEXT, which would make the child skip its files as a nested run.
  const { NODE_TEST_CONTEXT, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--test'], {
    cwd: join(tmp, 'project'),
    env: { ...env, MCPAUTH_GUARD_EXAMPLES: examples },
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout.replace(/^/gm, '    '));
  process.stderr.write(r.stderr);
  assert.equal(r.status, 0, 'the consumer tests pass');
  assert.match(r.stdout, /# fail 0/);
});
