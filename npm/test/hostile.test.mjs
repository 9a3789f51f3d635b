// The hostile-input catalogue (tests/hostile/cases.json, shared with the CLI and the policy
// host) through the npm module: each input gives its expected clear outcome — a typed
// ParseError naming the problem, or the expected diagnostic — never a trap, and a secret value
// is never echoed in the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const { check, ParseError } = await import(join(here, '..', 'pkg', 'node.js'));
const catalogue = JSON.parse(readFileSync(join(here, '..', '..', 'tests', 'hostile', 'cases.json'), 'utf8'));

/** The text of a case's input (a string or a generator; see tests/hostile.rs). */
function materialize(input) {
  if (typeof input === 'string') return input;
  if (input.hex) return Buffer.from(input.hex, 'hex').toString('latin1');
  if (input.repeat !== undefined) {
    const body = input.repeat.repeat(input.times);
    return (input.prefix ?? '') + body + (input.suffix_repeat !== undefined ? input.suffix_repeat.repeat(input.times) : input.suffix ?? '');
  }
  if (input.numbered !== undefined) {
    let s = input.prefix ?? '';
    for (let i = 0; i < input.times; i++) s += input.numbered.replaceAll('#', String(i));
    return s;
  }
  if (input.alias_bomb !== undefined) {
    let s = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i <= input.alias_bomb; i++) s += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    return s;
  }
  if (input.block_nesting !== undefined) {
    let s = '';
    for (let i = 0; i < input.block_nesting; i++) s += `${' '.repeat(i)}k:\n`;
    return s;
  }
  if (input.template) return input.template.replace('NAME', input.name.repeat.repeat(input.name.times));
  throw new Error(`unknown generator ${JSON.stringify(input)}`);
}

for (const c of catalogue.cases) {
  // JavaScript strings are UTF-16: invalid UTF-8 cannot reach the module as text (that case is
  // the CLI's and the policy's).
  if (c.input?.hex) continue;
  test(`hostile: ${c.name}`, () => {
    const text = materialize(c.input);
    const e = c.expect;
    if (e.exit === 2) {
      assert.throws(() => check(text), (err) => err instanceof ParseError && err.message.includes(e.error), `expected a ParseError containing ${e.error}`);
      return;
    }
    const report = check(text);
    const diags = report.documents.flatMap((d) => d.diagnostics);
    assert.equal(report.documents.some((d) => !d.valid), e.exit === 1);
    if (e.rule) {
      const d = diags.find((x) => x.rule === e.rule);
      assert.ok(d, `${e.rule} is reported`);
      if (e.line) assert.equal(d.line, e.line);
      if (e.column) assert.equal(d.column, e.column);
      if (e.toolhive_contains) assert.ok(d.toolhive.includes(e.toolhive_contains), d.toolhive);
      if (e.hint_contains) assert.ok(d.hint.includes(e.hint_contains), d.hint);
    }
    for (const r of e.rules_absent ?? []) assert.ok(!diags.some((x) => x.rule === r), `${r} is not reported`);
    if (e.never_echo) assert.ok(!JSON.stringify(report).includes(e.never_echo), 'the secret is not echoed');
  });
}
