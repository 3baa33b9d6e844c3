// Runs axe-core (WCAG 2 A/AA and best practices) in headless Chromium over
// every HTML page of a built site, in light and dark mode, and fails on any
// violation. Used by .ci/run:
//
//   node tests/a11y/axe.js OUTPUT_DIR
//
// Needs the npm packages axe-core and playwright-core (NODE_PATH may point
// at their node_modules) and Chromium at $CHROMIUM or /usr/bin/chromium.
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");
const { serve, chromiumOptions } = require("../support/static-server.js");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const root = path.resolve(process.argv[2] || "output");
function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pages(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}

serve(root, async (server, base) => {
  const browser = await chromium.launch(chromiumOptions);
  let violations = 0, checked = 0;
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    for (const file of pages(root)) {
      const url = base + "/" + path.relative(root, file).split(path.sep).join("/");
      await page.goto(url);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"] }));
      checked++;
      for (const v of result.violations) {
        violations++;
        console.log(`${scheme} ${url}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
      }
    }
    for (const e of errors) { violations++; console.log(`${scheme}: JavaScript error: ${e}`); }
    await context.close();
  }
  await browser.close();
  server.close();
  console.log(`axe-core: ${checked} page checks (light and dark), ${violations} violations`);
  process.exit(violations === 0 ? 0 : 1);
});
