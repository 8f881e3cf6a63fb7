// Parses Mermaid diagrams with the real Mermaid parser, as a code forge
// would before rendering: `node check.mjs FILE...` exits 1 if any file is not
// a diagram Mermaid accepts (syntax, or a limit such as maxEdges), 0 if all
// are. Each file holds one diagram, as `aiact graph` prints it.
//
// Mermaid sanitises labels with DOMPurify, which needs a DOM: under Node a
// jsdom window stands in for the browser's, set up before Mermaid loads.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;
globalThis.DOMParser = window.DOMParser;
globalThis.Element = window.Element;
globalThis.HTMLElement = window.HTMLElement;
globalThis.SVGElement = window.SVGElement;

const { default: mermaid } = await import("mermaid");
// The defaults a code forge uses; maxEdges (500) and maxTextSize (50000) are
// what the diagrams must stay within, so neither is raised here.
mermaid.initialize({ startOnLoad: false });
const MAX_TEXT = 50000;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs DIAGRAM.mmd...");
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  try {
    if (text.length > MAX_TEXT) {
      throw new Error(`${text.length} characters; Mermaid's maxTextSize is ${MAX_TEXT}`);
    }
    const result = await mermaid.parse(text);
    const edges = (text.match(/-->|-\.->/g) || []).length;
    console.log(`ok    ${file} (${result.diagramType}, ${edges} edges, ${text.length} chars)`);
  } catch (e) {
    failed += 1;
    const message = String(e && e.message ? e.message : e).split("\n").slice(0, 4).join("\n      ");
    console.log(`FAIL  ${file}\n      ${message}`);
  }
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
