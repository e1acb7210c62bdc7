// The storefront as a shopper uses it, in Debian's Chromium driven by Playwright, at a desktop
// and at a phone size: search with suggestions, a facet, a product and its variants, the cart
// and a discount code, registration (the cart comes along), checkout with the sandbox, the
// confirmation and the order page following the order live; a declined card that keeps the
// cart. axe-core checks every main page: no serious or critical violation passes.
//
// Usage: OXCART_URL=http://127.0.0.1:PORT OXCART_ADMIN_PASSWORD=… node storefront.mjs
// Optional: SHOTS_DIR=docs/screenshots writes the screenshots; CHROMIUM=/path/to/chromium.

import assert from "node:assert/strict";
import { SIZES, accessible, addInStock, adminPassword, api, fillAddress, finish, newPage, shot, step } from "./harness.mjs";

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
    await addInStock(page);
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

await finish(async () => {
  for (const size of Object.keys(SIZES)) await journey(size);
}, "the storefront in Chromium");
