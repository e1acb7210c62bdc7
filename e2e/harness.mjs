// What the browser runs share: Debian's Chromium through Playwright, a step runner that
// says where a failing step stood, axe-core's checks, screenshots, the API, a fresh page that
// collects script and policy errors, and the address form.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import assert from "node:assert/strict";

export const base = process.env.OXCART_URL ?? "http://127.0.0.1:8080";
export const shots = process.env.SHOTS_DIR;
export const adminPassword = process.env.OXCART_ADMIN_PASSWORD;
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
// Every step waits at most this long: a page that takes longer is a failure, not a hang.
const STEP_MS = 15_000;

export const SIZES = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // As root in a container, without the services a desktop Chromium calls home to.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

const failures = [];
const started = Date.now();
/// The page a step drives, to say where it stood when a step fails.
let current = null;

export async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message.split("\n")[0]}`);
    if (current) {
      const where = await current.evaluate(() => `${location.href} | ${document.querySelector("h1")?.textContent} | ${[...document.querySelectorAll(".error")].map((e) => e.textContent).join(" / ")}`).catch(() => "?");
      console.log(`     at ${where}`);
      await current.screenshot({ path: `${process.env.TMPDIR ?? "/tmp"}/storefront-failure.png` }).catch(() => {});
    }
    failures.push(`${name}: ${e.stack}`);
    throw e;
  }
}

/// axe-core in the page (evaluated through the DevTools protocol, so the page's own policy,
/// which refuses inline scripts, stays on); serious and critical violations fail the step.
/// `exclude` leaves out what is not the shop's (a payment provider's field).
export async function accessible(page, label, exclude = []) {
  await page.evaluate(axeSource);
  const result = await page.evaluate((exclude) => window.axe.run({ exclude: exclude.map((s) => [s]) }), exclude);
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.violations.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
  console.log(`     axe ${label}: ${result.passes.length} rules pass, ${bad.length} serious or critical${minor.length ? `, minor: ${minor.join(", ")}` : ""}`);
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assert.equal(bad.length, 0, `${label}: ${summary.join("; ")}`);
}

export async function shot(page, size, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${size}-${name}.png`, fullPage: false });
}

export async function api(path, { method = "GET", body, token } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + "/api/v1" + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function newPage(size) {
  const context = await browser.newContext({ ...SIZES[size], baseURL: base });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  current = page;
  const problems = [];
  // A page answered 402 or 422 is a page the shopper reads; a script, style or picture that
  // fails to load, a refused policy or a script error is a defect.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return { context, page, problems };
}

export async function fillAddress(page) {
  await page.getByLabel("Full name").fill("Ann Lee");
  await page.getByLabel("Street and number").fill("1 Market St");
  await page.getByLabel("Postal code").fill("94105");
  await page.getByLabel("City").fill("San Francisco");
  await page.getByLabel("State or region (optional)").fill("CA");
  await page.getByLabel("Country").selectOption("US");
}

/// On a product page: picks a variant in stock (the add would be refused otherwise), adds it to
/// the cart and waits for the cart.
export async function addInStock(page) {
  const select = page.getByLabel("Choose");
  if (await select.count()) {
    const inStock = await select.locator("option").evaluateAll((os) => os.filter((o) => !o.textContent.includes("out of stock")).map((o) => o.value));
    await select.selectOption(inStock[0]);
  }
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.waitForURL(/\/cart$/);
}

/// Closes the browser and exits with the run's verdict.
export async function finish(run, what) {
  let status = 0;
  try {
    await run();
  } catch {
    status = 1;
  } finally {
    await browser.close();
  }
  console.log(`${failures.length ? "FAILED" : "passed"}: ${what}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const f of failures) console.log(f);
  process.exit(status);
}
