// The storefront as a shopper uses it, in Debian's Chromium driven by Playwright, at a desktop
// and at a phone size: search with suggestions, a facet, a product and its variants, the cart
// and a discount code, registration (the cart comes along), checkout with the sandbox, the
// confirmation and the order page following the order live; a declined card that keeps the
// cart. axe-core checks every main page: no serious or critical violation passes.
//
// Usage: OXCART_URL=http://127.0.0.1:PORT OXCART_ADMIN_PASSWORD=… node storefront.mjs
// Optional: SHOTS_DIR=docs/screenshots writes the screenshots; CHROMIUM=/path/to/chromium.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import assert from "node:assert/strict";

const base = process.env.OXCART_URL ?? "http://127.0.0.1:8080";
const shots = process.env.SHOTS_DIR;
const adminPassword = process.env.OXCART_ADMIN_PASSWORD;
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
// Every step waits at most this long: a page that takes longer is a failure, not a hang.
const STEP_MS = 15_000;

const SIZES = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // As root in a container, without the services a desktop Chromium calls home to.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

const failures = [];
const started = Date.now();
/// The page a step drives, to say where it stood when a step fails.
let current = null;

async function step(name, fn) {
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
async function accessible(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.violations.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
  console.log(`     axe ${label}: ${result.passes.length} rules pass, ${bad.length} serious or critical${minor.length ? `, minor: ${minor.join(", ")}` : ""}`);
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assert.equal(bad.length, 0, `${label}: ${summary.join("; ")}`);
}

async function shot(page, size, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${size}-${name}.png`, fullPage: false });
}

async function api(path, { method = "GET", body, token } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + "/api/v1" + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function newPage(size) {
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

async function fillAddress(page) {
  await page.getByLabel("Full name").fill("Ann Lee");
  await page.getByLabel("Street and number").fill("1 Market St");
  await page.getByLabel("Postal code").fill("94105");
  await page.getByLabel("City").fill("San Francisco");
  await page.getByLabel("State or region (optional)").fill("CA");
  await page.getByLabel("Country").selectOption("US");
}

async function journey(size) {
  const { context, page, problems } = await newPage(size);
  const email = `e2e-${size}-${Date.now()}@example.com`;

  await step(`${size}: home`, async () => {
    await page.goto("/");
    await page.getByRole("heading", { name: "New arrivals" }).waitFor();
    await accessible(page, "home");
    await shot(page, size, "home");
  });

  await step(`${size}: suggestions while typing, then search`, async () => {
    const box = page.getByLabel("Search products");
    await box.pressSequentially("sneak", { delay: 40 });
    await page.waitForFunction(() => document.querySelectorAll("#suggestions option").length > 0);
    await box.fill("sneaker");
    await box.press("Enter");
    await page.waitForURL(/\/search\?q=sneaker/);
    await page.getByRole("heading", { name: /Results for/ }).waitFor();
  });

  await step(`${size}: a brand facet narrows the results`, async () => {
    const before = await page.locator(".count").textContent();
    const brand = page.locator('input[name="brand"]').first();
    // Folded on a phone: a tap on "Filter and sort" opens them.
    if (!(await brand.isVisible())) await page.getByText("Filter and sort").click();
    await brand.check();
    await page.waitForURL(/brand=/);
    const after = await page.locator(".count").textContent();
    assert.notEqual(after, before, "the count follows the facet");
    await accessible(page, "search");
    await shot(page, size, "search");
  });

  let productUrl;
  await step(`${size}: a product, its variant changes price and stock`, async () => {
    await page.locator(".cards .card a").first().click();
    await page.waitForURL(/\/p\//);
    productUrl = page.url();
    const select = page.getByLabel("Choose");
    if (await select.count()) {
      const options = await select.locator("option").evaluateAll((os) => os.map((o) => o.value));
      await select.selectOption(options[options.length - 1]);
      await page.waitForURL(new RegExp(`variant=${options[options.length - 1]}`));
      const stock = await page.locator("[data-show-stock]").textContent();
      const wanted = await select.locator("option:checked").getAttribute("data-stock");
      assert.equal(stock, wanted, "the stock shown is the chosen variant's");
    }
    await accessible(page, "product");
    await shot(page, size, "product");
  });

  await step(`${size}: add to cart, apply the demo code`, async () => {
    const select = page.getByLabel("Choose");
    if (await select.count()) {
      // An in-stock variant, so the add goes through.
      const inStock = await select.locator("option").evaluateAll((os) => os.filter((o) => !o.textContent.includes("out of stock")).map((o) => o.value));
      await select.selectOption(inStock[0]);
    }
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(/\/cart$/);
    await page.getByLabel("Discount code").fill("welcome10");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("WELCOME10", { exact: true }).first().waitFor();
    assert.match(await page.locator(".badge").textContent(), /^[1-9]/);
    await accessible(page, "cart");
    await shot(page, size, "cart");
  });

  await step(`${size}: register; the cart comes along`, async () => {
    await page.goto("/account/register?next=%2Fcart");
    await page.getByLabel("Name").fill("Ann Lee");
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password").fill("a long e2e passphrase");
    await accessible(page, "register");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/cart$/);
    await page.getByText("WELCOME10", { exact: true }).first().waitFor();
  });

  let orderUrl;
  await step(`${size}: checkout with the sandbox, confirmation`, async () => {
    await page.getByRole("link", { name: "Check out" }).click();
    await page.waitForURL(/\/checkout$/);
    await fillAddress(page);
    await accessible(page, "checkout address");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Review and pay" }).waitFor();
    await page.getByLabel("Test card: approved").check();
    await accessible(page, "checkout review");
    await shot(page, size, "checkout");
    await page.getByRole("button", { name: "Place the order" }).click();
    await page.getByRole("heading", { name: /Thank you: order OX-/ }).waitFor();
    orderUrl = page.url().replace(/\?placed=1$/, "");
    assert.equal(await page.locator("[data-state]").textContent(), "Confirmed");
    await accessible(page, "confirmation");
    await shot(page, size, "confirmation");
  });

  await step(`${size}: the order page follows the order live`, async () => {
    if (!adminPassword) return;
    const login = await api("/auth/login", { method: "POST", body: { email: "admin@oxcart.test", password: adminPassword } });
    const token = login.tokens.access_token;
    const orderId = orderUrl.split("/").pop();
    const parts = await api(`/fulfilments?order_id=${orderId}`, { token });
    await api(`/fulfilments/${parts.items[0].id}/state`, { method: "POST", token, body: { state: "processing" } });
    await page.locator("[data-state]", { hasText: "Being prepared" }).waitFor();
    await page.goto("/orders");
    await page.getByRole("link", { name: /OX-/ }).first().waitFor();
    await accessible(page, "orders");
  });

  await step(`${size}: a declined card shows why and keeps the cart`, async () => {
    const guest = await newPage(size);
    const p = guest.page;
    await p.goto(productUrl);
    await p.getByRole("button", { name: "Add to cart" }).click();
    await p.waitForURL(/\/cart$/);
    await p.getByRole("link", { name: "Check out" }).click();
    await p.getByLabel("E-mail address (for your confirmation)").fill(`guest-${size}@example.com`);
    await fillAddress(p);
    await p.getByRole("button", { name: "Continue" }).click();
    await p.getByLabel("Test card: declined").check();
    await p.getByRole("button", { name: "Place the order" }).click();
    await p.getByRole("alert").filter({ hasText: "declined" }).waitFor();
    await accessible(p, "declined");
    await p.goto("/cart");
    assert.equal(await p.locator(".lines .line").count(), 1, "the cart is kept");
    assert.deepEqual(guest.problems, [], "no script or policy errors");
    await guest.context.close();
  });

  assert.deepEqual(problems, [], `${size}: no script or policy errors in the console`);
  await context.close();
}

let status = 0;
try {
  for (const size of Object.keys(SIZES)) await journey(size);
} catch {
  status = 1;
} finally {
  await browser.close();
}
console.log(`${failures.length ? "FAILED" : "passed"}: the storefront in Chromium, ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const f of failures) console.log(f);
process.exit(status);
