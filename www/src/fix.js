// Quick fixes: apply a diagnostic's `fix` ({path, value}) to the YAML text as the smallest
// edit possible. A scalar replacing an existing scalar is a one-range edit (comments and
// formatting stay); anything else (adding a missing block) re-prints that one document with
// the `yaml` package. Pure functions: tested by www/test/unit.test.mjs.
import { parseAllDocuments, isScalar } from 'yaml';

/** Splits the report's path notation (`a.b[2].c`) into keys and indices. */
export function parsePath(path) {
  const out = [];
  for (const part of path.split('.').filter(Boolean)) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9 ._/@+-]*$/;
const SPECIAL = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A YAML scalar for `value` that reads back as the same value in block and flow context. */
export function yamlScalar(value) {
  if (typeof value === 'string') {
    if (PLAIN.test(value) && !SPECIAL.test(value) && !/^[-+]?[0-9.]/.test(value) && !/\s$/.test(value)) return value;
    return JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function isScalarValue(v) {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}


/**
 * The edit that applies `fix` to document `docIndex` of `text`:
 * `{from, to, insert}` in UTF-16 offsets (CodeMirror positions), or null when the fix cannot
 * be applied (the document does not parse or the path is not reachable).
 */
export function fixEdit(text, docIndex, fix) {
  const docs = parseAllDocuments(text);
  const doc = docs[docIndex];
  if (!doc || doc.errors?.length) return null;
  const path = parsePath(fix.path);
  const node = doc.getIn(path, true);
  if (node && isScalar(node) && isScalarValue(fix.value) && node.range) {
    // Keep the value's quoting style (JSON input stays JSON).
    let insert = yamlScalar(fix.value);
    if (typeof fix.value === 'string' && node.type === 'QUOTE_DOUBLE') insert = JSON.stringify(fix.value);
    if (typeof fix.value === 'string' && node.type === 'QUOTE_SINGLE') insert = `'${fix.value.replace(/'/g, "''")}'`;
    return { from: node.range[0], to: node.range[1], insert };
  }
  // Structural change (e.g. adding a missing block): set the value and re-print this
  // document only; the other documents keep their text.
  doc.setIn(path, doc.createNode(fix.value));
  let [from, , to] = doc.range;
  // Comments above a document without `---` lie before its range, but the printer writes
  // them: replace from the end of the previous document.
  if (!doc.directives?.docStart) from = docIndex > 0 ? docs[docIndex - 1].range[2] : 0;
  let insert = doc.toString({ lineWidth: 0 });
  if (!text.slice(from, to).endsWith('\n') && insert.endsWith('\n')) insert = insert.slice(0, -1);
  return { from, to, insert };
}

/** Applies an edit to a string. */
export function applyEdit(text, edit) {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}
