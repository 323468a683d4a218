import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
/** The Platform union itself, and the composition root (which wires the adapters by name). */
const ALLOWED = new Set(['src/domain/refs.ts', 'src/main.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** String and regex literals in a module's code (comments and documentation do not count). */
function literals(path: string): { text: string; line: number }[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteralLike(node) ||
      ts.isRegularExpressionLiteral(node) ||
      ts.isTemplateLiteralToken(node)
    ) {
      found.push({
        text: node.getText(file),
        line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the core (src/) is platform-neutral', () => {
  const files = sources(join(ROOT, 'src')).map((path) => ({ path, name: relative(ROOT, path) }));

  it('names no platform in its code outside the Platform type and the composition root', () => {
    // A literal 'slack' or 'discord' in the core is a branch on (or a guess at) the platform: the platform
    // comes with each reference, and what differs per platform belongs in its adapter.
    const named = files
      .filter(({ name }) => !ALLOWED.has(name))
      .flatMap(({ path, name }) =>
        literals(path)
          .filter(({ text }) => /^['"`](slack|discord)['"`]$/i.test(text))
          .map(({ line, text }) => `${name}:${line} ${text}`),
      );
    expect(named).toEqual([]);
  });

  it('parses no platform syntax: mentions and ids are read by the adapters’ reference parsers', () => {
    // Mentions nowhere; user id shapes only where the config file's ids are checked at boot (src/config/).
    const syntax = files.flatMap(({ path, name }) =>
      literals(path)
        .filter(
          ({ text }) =>
            // `<!doctype html>` opens an HTML page (the dashboard, transcripts); any other `<!` is Slack's.
            /<[@#]|<!(?!doctype html>)/i.test(text) ||
            (!name.startsWith('src/config/') && /\[UW\]|\\d\{5/.test(text)),
        )
        .map(({ line, text }) => `${name}:${line} ${text}`),
    );
    expect(syntax).toEqual([]);
  });
});
