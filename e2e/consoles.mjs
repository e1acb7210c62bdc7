// The seller dashboard and the admin console in Debian's Chromium, at a desktop and a phone
// size: the demo seller adds a product with a picture and stock from their dashboard and a
// new customer buys it (through the API); the seller's overview counts it and charts their
// sales; the seller starts, packs and
// ships it with a tracking number from their orders page; the customer's order page shows it
// shipped; the admin's KPIs; the admin finds the order, refunds part of it from its page and
// finds the refund in the audit log. axe-core checks every page; a
// customer is refused the consoles.
//
// Usage: OXCART_URL=… OXCART_ADMIN_PASSWORD=… OXCART_SELLER_PASSWORD=… OXCART_CUSTOMER_PASSWORD=… node consoles.mjs
// Optional: SHOTS_DIR=docs/screenshots writes the screenshots.

import assert from "node:assert/strict";
import { SIZES, accessible, adminPassword, base, finish, newPage, shot, step } from "./harness.mjs";

const sellerPassword = process.env.OXCART_SELLER_PASSWORD;
const customerPassword = process.env.OXCART_CUSTOMER_PASSWORD;

async function signIn(page, email, password) {
  await page.goto("/account/login");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/account/login"));
}

async function call(path, { method = "GET", body, token, key } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers["idempotency-key"] = key;
  const res = await fetch(base + "/api/v1" + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

const login = async (email, password) => (await call("/auth/login", { method: "POST", body: { email, password } })).tokens.access_token;

/// A new customer buys one of `variantId` through the API: answers the order and the
/// customer's credentials.
async function buy(variantId, size) {
  const email = `e2e-console-${size}-${Date.now()}@example.com`;
  const password = "a long e2e passphrase";
  const customer = (await call("/auth/register", { method: "POST", body: { email, password } })).tokens.access_token;
  await call("/cart/add", { method: "POST", token: customer, body: { variant_id: variantId, quantity: 1 } });
  const address = { name: "Ann Lee", line1: "1 Market St", city: "San Francisco", region: "CA", postal_code: "94105", country: "US" };
  const quote = await call("/checkout/quote", { method: "POST", token: customer, body: { address, shipping_method: "standard" } });
  const order = await call("/checkout", { method: "POST", token: customer, key: `e2e-${variantId}-${size}`,
    body: { address, shipping_method: "standard", payment_token: "tok_sandbox_ok", expected_total: quote.totals.total } });
  return { id: order.id, number: order.number, email, password };
}

async function consoles(size) {
  const seller = await newPage(size);
  let bought;
  await step(`${size}: the seller adds a product with a picture and stock`, async () => {
    const page = seller.page;
    await signIn(page, "seller@oxcart.test", sellerPassword);
    await page.goto("/seller/products/new");
    await accessible(page, "new product");
    const sku = `E2E-${size.toUpperCase()}-${Date.now()}`;
    await page.getByLabel("Title").fill(`Console test mug (${size})`);
    await page.getByLabel("Description").fill("A mug listed from the seller's dashboard.");
    await page.getByLabel("SKU").fill(sku);
    await page.getByLabel("Price").fill("18.00");
    await page.getByLabel("Stock to receive now").fill("5");
    await page.getByRole("button", { name: "Add the product" }).click();
    await page.waitForURL(/\/seller\/products\/prd_/);
    const productId = page.url().split("/").pop();
    await page.getByLabel("Picture", { exact: true }).setInputFiles(new URL("../crates/edge/web/assets/icon-512.png", import.meta.url).pathname);
    await page.getByLabel("Described as").fill("The test mug");
    await page.getByRole("button", { name: "Add the picture" }).click();
    await page.waitForURL(new RegExp(`/seller/products/${productId}$`));
    await page.locator('ul.pictures img[alt="The test mug"]').waitFor();
    assert.match(await page.locator("table.data tbody").textContent(), /5\s*5/, "on hand and available");
    await accessible(page, "seller product");
    await shot(page, size, "seller-product");
    const product = await call(`/products/${productId}`);
    assert.equal(product.images.length, 1, "the shop shows the picture");
    bought = await buy(product.variants[0].id, size);
  });

  await step(`${size}: the seller's stock by location and its latest adjustments`, async () => {
    await seller.page.goto("/seller/stock");
    await seller.page.getByRole("heading", { name: "Latest adjustments" }).waitFor();
    assert.match(await seller.page.locator("main").textContent(), /opening stock/);
    await accessible(seller.page, "seller stock");
    await shot(seller.page, size, "seller-stock");
  });

  await step(`${size}: the seller's overview charts their sales`, async () => {
    await seller.page.goto("/seller");
    await seller.page.getByRole("heading", { name: "Your sales" }).waitFor();
    assert.ok(await seller.page.locator("figure.chart svg rect").count() > 0, "bars are drawn");
    const today = await seller.page.locator(".figure").first().textContent();
    assert.match(today, /Orders\s*[1-9]/, "today's order is counted");
    await accessible(seller.page, "seller overview");
    await shot(seller.page, size, "seller-overview");
  });

  await step(`${size}: the seller starts, packs and ships the order with its tracking number`, async () => {
    const page = seller.page;
    const row = () => page.locator("table.parts tbody tr", { hasText: bought.number });
    await page.goto("/seller/orders?state=pending");
    await page.getByRole("heading", { name: "Orders to fulfil" }).waitFor();
    await accessible(page, "seller orders");
    await shot(page, size, "seller-orders");
    await row().getByRole("button", { name: /^Start/ }).click();
    await page.waitForURL(/\/seller\/orders$/);
    await row().getByRole("button", { name: /^Mark packed/ }).click();
    await page.waitForURL(/\/seller\/orders$/);
    await row().getByLabel("Carrier").fill("UPS");
    await row().getByLabel("Tracking number").fill(`1Z${Date.now()}`.slice(0, 18));
    await row().getByRole("button", { name: /^Ship order/ }).click();
    await page.waitForURL(/\/seller\/orders$/);
    await row().getByText(/Tracking 1Z/).waitFor();
  });

  const admin = await newPage(size);
  await step(`${size}: the admin's KPIs with their charts`, async () => {
    await signIn(admin.page, "admin@oxcart.test", adminPassword);
    await admin.page.goto("/admin");
    await admin.page.getByRole("heading", { name: "Admin", exact: true }).waitFor();
    assert.ok(await admin.page.locator("figure.chart").count() >= 2, "revenue and orders charts");
    await accessible(admin.page, "admin overview");
    await shot(admin.page, size, "admin-overview");
  });

  await step(`${size}: the customer sees their order shipped, with its tracking number`, async () => {
    const customer = await newPage(size);
    await signIn(customer.page, bought.email, bought.password);
    await customer.page.goto("/orders");
    await customer.page.getByRole("link", { name: bought.number }).click();
    await customer.page.getByText(/Tracking|1Z/).first().waitFor();
    assert.match(await customer.page.locator("main").textContent(), /Shipped/);
    await customer.context.close();
  });

  await step(`${size}: an admin refunds part of it and finds the refund in the audit log`, async () => {
    const token = await login("admin@oxcart.test", adminPassword);
    const payment = (await call(`/orders/${bought.id}`, { token })).payment;
    const orders = admin.page;
    await orders.goto("/admin/orders");
    await orders.getByLabel("Order number or e-mail address").fill(bought.number);
    await orders.getByRole("button", { name: "Find" }).click();
    await orders.getByRole("link", { name: bought.number }).click();
    await orders.getByRole("heading", { name: `Order ${bought.number}` }).waitFor();
    await accessible(orders, "admin order");
    await shot(orders, size, "admin-order");
    await orders.getByLabel(/^Amount/).fill("5.00");
    await orders.getByLabel("Why").fill("goodwill");
    await orders.getByRole("button", { name: "Refund" }).click();
    await orders.waitForURL(/refunded=1/);
    await orders.getByRole("status").filter({ hasText: "The refund was made" }).waitFor();
    const page = admin.page;
    await page.goto("/admin/audit");
    await page.getByLabel("Action").fill("payment.*");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=payment/);
    const actions = await page.locator("table.audit tbody tr td:nth-child(3)").allTextContents();
    assert.ok(actions.length > 0 && actions.every((a) => a.startsWith("payment.")), `only payments: ${actions}`);
    // The consumer records it within a moment.
    const refund = page.locator("table.audit tbody tr", { hasText: payment.id }).filter({ hasText: "payment.refunded" });
    for (let i = 0; i < 20 && !(await refund.count()); i++) {
      await new Promise((r) => setTimeout(r, 250));
      await page.reload();
    }
    assert.match(await refund.first().textContent(), /\(admin\)/, "the refund is the admin's");
    await accessible(page, "audit log");
    await shot(page, size, "admin-audit");
  });

  await step(`${size}: the admin's people and sellers`, async () => {
    const page = admin.page;
    await page.goto("/admin/users?q=oxcart.test");
    await page.getByRole("cell", { name: "customer@oxcart.test", exact: true }).waitFor();
    await accessible(page, "people");
    await shot(page, size, "admin-people");
    await page.goto("/admin/sellers?status=approved");
    await page.getByRole("cell", { name: "Demo Outfitters", exact: true }).waitFor();
    await accessible(page, "sellers");
  });

  await step(`${size}: a customer is refused the consoles`, async () => {
    const customer = await newPage(size);
    await signIn(customer.page, "customer@oxcart.test", customerPassword);
    for (const path of ["/admin", "/admin/orders", "/admin/users", "/admin/sellers", "/admin/audit", "/seller", "/seller/products", "/seller/stock", "/seller/orders"]) {
      const r = await customer.page.goto(path);
      assert.equal(r.status(), 403, path);
    }
    await customer.context.close();
  });

  assert.deepEqual(seller.problems, [], `${size}: no script or policy errors (seller)`);
  assert.deepEqual(admin.problems, [], `${size}: no script or policy errors (admin)`);
  await seller.context.close();
  await admin.context.close();
}

await finish(async () => {
  assert.ok(adminPassword && sellerPassword && customerPassword, "the demo accounts' passwords");
  for (const size of Object.keys(SIZES)) await consoles(size);
}, "the consoles in Chromium");
