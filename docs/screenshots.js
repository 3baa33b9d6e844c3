// Takes the README's screenshots of the bundled example: home, a hub, the
// papers list and search, at desktop and phone width, into
// docs/screenshots/, and the hub at desktop width as docs/screenshot.png.
//
//   cargo run --release -- build
//   NODE_PATH=.ci/node/node_modules node docs/screenshots.js [OUTPUT_DIR]
//
// Needs playwright-core (as .ci/run installs it) and Chromium at $CHROMIUM
// or /usr/bin/chromium.
const path = require("path");
const { chromium } = require("playwright-core");
const { serve, chromiumOptions } = require("../tests/support/static-server.js");

const root = path.resolve(process.argv[2] || "output");
const out = path.join(__dirname, "screenshots");
const pages = [
  ["home", ""],
  ["hub", "papers/1911.03030/"],
  ["papers", "papers/"],
  ["search", "search/?q=unlearning"],
];
const widths = [["desktop", 1280, 900], ["phone", 390, 844]];

serve(root, async (server, base) => {
  const browser = await chromium.launch(chromiumOptions);
  try {
    for (const [device, width, height] of widths) {
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      for (const [name, url] of pages) {
        await page.goto(`${base}/${url}`);
        if (name === "search") await page.waitForSelector("#search-results li");
        const file = path.join(out, `${name}-${device}.png`);
        await page.screenshot({ path: file });
        if (name === "hub" && device === "desktop") {
          await page.screenshot({ path: path.join(__dirname, "screenshot.png") });
        }
        console.log(file);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
});
