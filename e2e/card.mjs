// Paying through the payment provider's own card field, in Chromium, with Stripe as the
// provider (localstripe's copy of Stripe.js and its API in tests): a guest fills a cart, checks
// out, types a card the bank declines into the provider's field (the reason shows, nothing is
// sent to the shop), then a good card, and sees the confirmation; then a card whose bank asks
// for 3-D Secure, at the field and again at the charge, finished from the order page; at a
// desktop and a phone size. No request to the shop ever carries the card's number, and the page policy lets the
// provider's script run on the payment step only.
//
// Usage: OXCART_URL=http://127.0.0.1:PORT STRIPE_URL=<its Stripe, e.g. a localstripe> node card.mjs
// (a shop with payments.provider = "stripe")

import assert from "node:assert/strict";
import { SIZES, accessible, addInStock, base, fillAddress, finish, newPage, shot, step } from "./harness.mjs";

/// The provider's origin (localstripe's in tests), allowed on the payment step only.
const provider = new URL(process.env.STRIPE_URL ?? "https://js.stripe.com").origin;

const GOOD = "4242424242424242";
const DECLINED = "4000000000000002";
/// A card whose bank asks for 3-D Secure whenever it is used.
const CHALLENGED = "4000002500003155";

/// Types a card into the provider's field (localstripe's: one input per part).
async function typeCard(page, number) {
  const field = page.locator("#card-field");
  await field.locator('input[placeholder="number"]').fill(number);
  await field.locator('input[placeholder="exp_month"]').fill("12");
  await field.locator('input[placeholder="exp_year"]').fill("30");
  await field.locator('input[placeholder="cvc"]').fill("123");
  await field.locator('input[placeholder="postal_code"]').fill("94105");
}

/// From the home page's first product to the payment step, as a guest.
async function toPayment(page, size) {
  await page.goto("/");
  await page.locator(".cards .card a").first().click();
  await page.waitForURL(/\/p\//);
  await addInStock(page);
  await page.getByRole("link", { name: "Check out" }).click();
  await page.getByLabel("E-mail address (for your confirmation)").fill(`card-${size}@example.com`);
  await fillAddress(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Review and pay" }).waitFor();
  await page.locator('#card-field input[placeholder="number"]').waitFor();
}

/// localstripe's stand-in for the bank's 3-D Secure window: the shopper completes it.
async function passChallenge(page) {
  await page.getByRole("button", { name: "Complete authentication" }).click();
}

async function journey(size) {
  const { context, page, problems } = await newPage(size);
  const leaks = [];
  page.on("request", (r) => {
    const body = r.postData() ?? "";
    if (r.url().startsWith(base) && [GOOD, DECLINED, CHALLENGED].some((n) => body.includes(n))) leaks.push(r.url());
  });

  await step(`${size}: a cart, the address, the provider's card field`, async () => {
    const home = await page.goto("/");
    const policy = home.headers()["content-security-policy"];
    assert.ok(!policy.includes(provider) && !policy.includes("stripe"), `no provider on other pages: ${policy}`);
    await toPayment(page, size);
    assert.equal(await page.getByLabel("Test card: approved").count(), 0, "no test methods");
    await accessible(page, "card review", ["#card-field"]);
  });

  await step(`${size}: a declined card shows why; nothing reaches the shop`, async () => {
    await typeCard(page, DECLINED);
    await page.getByRole("button", { name: "Place the order" }).click();
    await page.locator("#card-error", { hasText: "declined" }).waitFor();
    assert.equal(await page.locator('input[name="payment"]').inputValue(), "", "no payment method");
    await page.getByRole("heading", { name: "Review and pay" }).waitFor();
    await shot(page, size, "card-declined");
  });

  await step(`${size}: a good card places the order`, async () => {
    await typeCard(page, GOOD);
    await page.getByRole("button", { name: "Place the order" }).click();
    await page.getByRole("heading", { name: /Thank you: order OX-/ }).waitFor();
    assert.match(await page.locator("[data-state]").textContent(), /Confirmed/);
    assert.deepEqual(leaks, [], "no request to the shop carried the card's number");
    // The provider's 402 on the declined card is the answer the step before looked for.
    const unexpected = problems.filter((p) => !/^402 .*\/v1\/setup_intents\/\w+\/confirm$/.test(p));
    assert.deepEqual(unexpected, [], "no script or policy errors");
  });

  await step(`${size}: a card whose bank asks to confirm, at the field and at the charge`, async () => {
    await toPayment(page, size);
    await typeCard(page, CHALLENGED);
    await page.getByRole("button", { name: "Place the order" }).click();
    await passChallenge(page);
    await page.getByRole("heading", { name: /one more step/ }).waitFor();
    assert.match(await page.locator("[data-state]").textContent(), /Waiting for payment/);
    await accessible(page, "payment action");
    await shot(page, size, "payment-action");
    await page.getByRole("button", { name: "Confirm the payment" }).click();
    await passChallenge(page);
    await page.getByRole("heading", { name: /Thank you: order OX-/ }).waitFor();
    assert.match(await page.locator("[data-state]").textContent(), /Confirmed/);
    assert.deepEqual(leaks, [], "no request to the shop carried the card's number");
  });
  await context.close();
}

await finish(async () => {
  for (const size of Object.keys(SIZES)) await journey(size);
}, "the provider's card field in Chromium");
