// Bytes a search downloads: opens /search/?q=WORD of a built site in
// headless Chromium (served over HTTP on loopback), waits for the results,
// and sums the sizes of the search index files the page fetched. Used by
// bench/search:
//
//   node bench/search-bytes.js OUTPUT_DIR WORD [WORD ...]
//
// Prints one line per word: word, matches, index files, index bytes,
// page and asset bytes (the page, CSS and script; cached after the first).
const path = require("path");
const { chromium } = require("playwright-core");
const { serve, chromiumOptions } = require("../tests/support/static-server.js");

const root = path.resolve(process.argv[2]);
const words = process.argv.slice(3);
serve(root, async (server, base) => {
  const browser = await chromium.launch(chromiumOptions);
  try {
    for (const word of words) {
      // A fresh context: nothing cached from the previous query.
      const context = await browser.newContext();
      const page = await context.newPage();
      const sizes = [];
      page.on("response", async (r) => {
        const body = await r.body().catch(() => Buffer.alloc(0));
        sizes.push([new URL(r.url()).pathname, body.length]);
      });
      await page.goto(`${base}/search/?q=${encodeURIComponent(word)}`);
      await page.waitForFunction(() => /match/.test(document.getElementById("search-status").textContent));
      await page.waitForFunction(() => {
        const shown = document.querySelectorAll("#search-results li").length;
        const total = parseInt(document.getElementById("search-status").textContent, 10);
        return shown === Math.min(total, 10);
      });
      await page.waitForTimeout(200);
      const status = await page.$eval("#search-status", (e) => e.textContent);
      const index = sizes.filter(([p]) => /^\/search\/(meta|t\/|d\/)/.test(p));
      const other = sizes.filter(([p]) => !/^\/search\/(meta|t\/|d\/)/.test(p));
      const sum = (list) => list.reduce((n, [, b]) => n + b, 0);
      console.log([word, parseInt(status, 10), index.length, sum(index), sum(other)].join("\t"));
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
});
