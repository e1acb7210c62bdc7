// Small enhancements over pages that work without scripts: search suggestions, the variant
// switch, the picture gallery, filters that apply on change, and the offline service worker.
"use strict";

function suggestions() {
  const input = document.querySelector("[data-suggest]");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = 0;
  let last = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      try {
        const res = await fetch("/api/v1/products/suggest?limit=8&q=" + encodeURIComponent(q));
        if (!res.ok) return;
        const items = await res.json();
        list.replaceChildren(...items.map((s) => {
          const o = document.createElement("option");
          o.value = s.title;
          return o;
        }));
      } catch (_) { /* offline: the form still searches */ }
    }, 150);
  });
}

function variants() {
  const select = document.querySelector("[data-variants]");
  if (!select) return;
  const price = document.querySelector("[data-show-price]");
  const was = document.querySelector("[data-show-was]");
  const stock = document.querySelector("[data-show-stock]");
  select.addEventListener("change", () => {
    const o = select.selectedOptions[0];
    if (price) price.textContent = o.dataset.price;
    if (was) {
      was.lastChild.textContent = o.dataset.was;
      was.hidden = !o.dataset.was;
    }
    if (stock) stock.textContent = o.dataset.stock;
    const url = new URL(location.href);
    url.searchParams.set("variant", o.value);
    history.replaceState(null, "", url);
  });
}

function gallery() {
  const main = document.querySelector("[data-main]");
  if (!main) return;
  document.querySelectorAll("[data-src]").forEach((a) => {
    a.addEventListener("click", (e) => {
      e.preventDefault();
      main.src = a.dataset.src;
      main.alt = a.querySelector("img").alt;
    });
  });
}

function autosubmit() {
  document.querySelectorAll("[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", () => form.requestSubmit());
  });
}

// An order page follows the order: each new transition updates the status and the history.
// The stream replays the whole history first; what the page already shows is skipped.
function live() {
  const box = document.querySelector("[data-live]");
  if (!box || !("EventSource" in window)) return;
  const labels = JSON.parse(box.dataset.labels || "{}");
  let skip = Number(box.dataset.seen || 0);
  const state = document.querySelector("[data-state]");
  const history = document.querySelector("[data-history]");
  const source = new EventSource(box.dataset.url || box.dataset.live);
  source.addEventListener("order.state", (e) => {
    if (skip > 0) { skip -= 1; return; }
    const change = JSON.parse(e.data);
    const label = labels[change.state] || change.state;
    if (state) state.textContent = label;
    if (history) {
      const li = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = label;
      li.append(strong, " · just now" + (change.reason ? " · " + change.reason : ""));
      history.prepend(li);
    }
  });
}

function offline() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => {});
}

document.addEventListener("DOMContentLoaded", () => {
  suggestions();
  variants();
  gallery();
  autosubmit();
  live();
  offline();
});
