// The payment provider's own parts of the pages, loaded only where they are needed: the
// checkout's card field, and the bank's challenge on an order waiting for its payment.
//
// The card field (Stripe Elements), on the review page. The card is typed into the provider's frame and confirmed with the
// provider against the page's setup intent; this script receives the payment method's id
// (`pm_…`), puts it in the form and sends the form. It never sees the card's number.
"use strict";

(function cardField() {
  const field = document.getElementById("card-field");
  if (!field || typeof window.Stripe !== "function") return;
  const stripe = window.Stripe(field.dataset.key);
  const card = stripe.elements().create("card");
  card.mount(field);
  const form = field.closest("form");
  const token = form.querySelector('input[name="payment"]');
  const error = document.getElementById("card-error");
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener("submit", async (event) => {
    if (token.value) return;
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    error.textContent = "";
    const result = await stripe.confirmCardSetup(field.dataset.secret, { payment_method: { card } });
    const method = result.setupIntent && result.setupIntent.payment_method;
    if (result.error || !method) {
      error.textContent = (result.error && result.error.message) || "The card was not accepted; check its details.";
      button.disabled = false;
      return;
    }
    token.value = typeof method === "string" ? method : method.id;
    form.submit();
  });
})();

// The bank's challenge (3-D Secure) for an order waiting for its payment: Stripe.js runs it in
// its own window; then the form tells the shop, which asks Stripe for the decision.
(function paymentAction() {
  const form = document.querySelector("form[data-intent-secret]");
  if (!form || typeof window.Stripe !== "function") return;
  const stripe = window.Stripe(form.dataset.key);
  const error = document.getElementById("action-error");
  const button = form.querySelector('button[type="submit"]');
  let done = false;
  form.addEventListener("submit", async (event) => {
    if (done) return;
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    error.textContent = "";
    const result = await stripe.confirmCardPayment(form.dataset.intentSecret);
    if (result.error) {
      error.textContent = result.error.message || "The bank did not confirm the payment.";
      button.disabled = false;
      return;
    }
    done = true;
    form.submit();
  });
})();
