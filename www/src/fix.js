// Quick fixes: apply a diagnostic's `fix` ({path, value}) to the YAML text as the smallest
// edit possible. A scalar replacing an existing scalar is a one-range edit (comments and
// formatting stay); anything else (adding a missing block) re-prints that one document with
// the `yaml` package. Pure functions: tested by www/test/unit.test.mjs.
import { parseAllDocuments, isScalar, visit } from 'yaml';

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
  // The report numbers the documents the core reads: empty and `null` ones are skipped.
  const read = docs.filter((d) => !(d.contents == null || (isScalar(d.contents) && d.contents.value == null)));
  const doc = read[docIndex];
  if (!doc || doc.errors?.length) return null;
  const at = docs.indexOf(doc);
  const path = parsePath(fix.path);
  const node = doc.getIn(path, true);
  if (node && isScalar(node) && isScalarValue(fix.value) && node.range) {
    // Keep the value's quoting style (JSON input stays JSON).
    let insert = yamlScalar(fix.value);
    if (typeof fix.value === 'string' && node.type === 'QUOTE_DOUBLE') insert = JSON.stringify(fix.value);
    if (typeof fix.value === 'string' && node.type === 'QUOTE_SINGLE') insert = `'${fix.value.replace(/'/g, "''")}'`;
    // A block scalar's range ends after its line breaks: keep them.
    const [from, to] = node.range;
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') insert += /\n*$/.exec(text.slice(from, to))[0];
    return { from, to, insert };
  }
  let [from, , to] = doc.range;
  // Comments above a document without `---` lie before its range, but the printer writes
  // them: replace from the end of the previous document.
  if (!doc.directives?.docStart) from = at > 0 ? docs[at - 1].range[2] : 0;
  const original = text.slice(from, to);
  let insert;
  try {
    if (/^\s*\{/.test(text.slice(doc.range[0], to))) {
      // A JSON document stays JSON, with its indentation.
      insert = jsonWith(text.slice(doc.range[0], to), path, fix.value);
      from = doc.range[0];
    } else {
      // Structural change (e.g. adding a missing block): set the value and re-print this
      // document only; the other documents keep their text.
      // The `yaml` package prints YAML 1.2, where `no` or `0777` may stay plain; kubectl (and
      // the core) read those as a boolean or an octal number: quote every string that is not
      // plain-safe for both.
      const node = doc.createNode(fix.value);
      visit(node, {
        Scalar(_, n) {
          if (typeof n.value === 'string' && yamlScalar(n.value) !== n.value) n.type = 'QUOTE_DOUBLE';
        },
      });
      doc.setIn(path, node);
      insert = doc.toString({ lineWidth: 0 });
    }
  } catch {
    return null;
  }
  if (!original.endsWith('\n') && insert.endsWith('\n')) insert = insert.slice(0, -1);
  else if (original.endsWith('\n') && !insert.endsWith('\n')) insert += '\n';
  return { from, to, insert };
}

/** The JSON text `json` with the value at `path` set (created along the way), indented as it was. */
function jsonWith(json, path, value) {
  const root = JSON.parse(json);
  let node = root;
  path.slice(0, -1).forEach((key, i) => {
    if (node[key] === undefined || node[key] === null) node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key];
  });
  node[path[path.length - 1]] = value;
  const indent = /\n([ \t]+)\S/.exec(json)?.[1] ?? '  ';
  return JSON.stringify(root, null, indent);
}

/** Applies an edit to a string. */
export function applyEdit(text, edit) {
  return text.slice(0, edit.from) + edit.insert + text.slice(edit.to);
}
