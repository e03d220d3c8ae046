// The map page: clicking a point lists its events in the side panel (fetched from the
// JSON API with the page's own filter); everything is written with textContent.
"use strict";

(function () {
  const panel = document.getElementById("place-panel");
  if (!panel) return;
  const api = panel.dataset.api;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function show(point) {
    const place = point.dataset.place;
    const sep = api.includes("?") ? "&" : "?";
    const url = api + sep + "place=" + encodeURIComponent(place) + "&limit=50";
    panel.replaceChildren(el("p", { class: "muted" }, "Loading " + place + "…"));
    let body;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      body = await response.json();
      if (!response.ok) throw new Error(body.message || response.statusText);
    } catch (err) {
      panel.replaceChildren(el("p", { class: "error" }, "Could not load the events: " + err.message));
      return;
    }
    const country = point.dataset.country ? " (" + point.dataset.country + ")" : "";
    const head = el("h2", { "data-testid": "place-title" }, place + country);
    const count = el("p", { class: "muted" }, body.total + " event" + (body.total === 1 ? "" : "s") +
      (body.total > body.items.length ? ", the newest " + body.items.length + " listed" : ""));
    const list = el("ol", { class: "place-events", "data-testid": "place-events" });
    for (const ev of body.items) {
      const li = el("li");
      li.append(el("a", { href: "/events/" + ev.id }, ev.type + " #" + ev.id));
      li.append(" " + (ev.ref_date || "") + " ");
      li.append(el("span", { class: "muted" }, ev.participants.map((p) => p.name).join(", ")));
      list.append(li);
    }
    const all = el("a", { href: point.getAttribute("href") }, "all in the events table →");
    panel.replaceChildren(head, count, list, all);
    panel.scrollIntoView({ block: "nearest" });
  }

  for (const point of document.querySelectorAll("a.point")) {
    point.addEventListener("click", (event) => {
      event.preventDefault();
      for (const p of document.querySelectorAll("a.point.selected")) p.classList.remove("selected");
      point.classList.add("selected");
      show(point);
    });
  }
})();
