// Parley's article view: select an event to highlight its spans and show its fields.
// The data comes from <script type="application/json" id="doc-data"> (never executed);
// everything is written with textContent, never as HTML.
"use strict";

(function () {
  const text = document.getElementById("doc-text");
  const dataBlock = document.getElementById("doc-data");
  const panel = document.getElementById("event-panel");

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) {
      node.append(child);
    }
    return node;
  }

  function clear(cls) {
    if (!text) return;
    for (const node of text.querySelectorAll("." + cls)) node.classList.remove(cls);
  }

  function mark(selector, cls) {
    if (!text) return [];
    const nodes = Array.from(text.querySelectorAll(selector));
    for (const node of nodes) node.classList.add(cls);
    return nodes;
  }

  // -- hash links "#span-START-END": highlight the characters and scroll to them --------
  function focusHash() {
    clear("focus");
    const m = /^#span-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m || !text) return;
    const start = Number(m[1]);
    const end = Number(m[2]);
    let first = null;
    for (const seg of text.querySelectorAll("span[data-s]")) {
      const s = Number(seg.dataset.s);
      const e = Number(seg.dataset.e);
      if (s < end && e > start) {
        seg.classList.add("focus");
        first = first || seg;
      }
    }
    if (first) first.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", focusHash);
  focusHash();

  if (!text || !dataBlock || !panel) return;
  let data;
  try {
    data = JSON.parse(dataBlock.textContent);
  } catch (err) {
    return;
  }
  const events = data.events || {};
  let selected = null;

  function fieldRow(dl, label, value) {
    dl.append(el("dt", { text: label }));
    const dd = el("dd");
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
    dl.append(dd);
  }

  function describe(ev) {
    panel.replaceChildren();
    panel.append(el("h3", { text: ev.id + ": " + ev.type + (ev.mode ? " (" + ev.mode + ")" : "") }));
    const dl = el("dl", { class: "fields", "data-testid": "event-fields" });
    fieldRow(dl, "Type", ev.type);
    fieldRow(dl, "Mode", ev.mode);
    if (ev.context) fieldRow(dl, "Context", ev.context);
    fieldRow(dl, "Factuality", ev.factuality);
    const parts = el("ul");
    for (const p of ev.participants) {
      let line = p.name + " — " + p.role;
      if (p.country) line += ", " + p.country;
      if (p.kind && p.kind !== "country") line += " (" + p.kind + ")";
      if (p.disputed) line += " · disputed";
      parts.append(el("li", { text: line, "data-actor": p.actor }));
    }
    fieldRow(dl, "Participants", ev.participants.length ? parts : "none found");
    let when = ev.date.value ? ev.date.value + " (" + (ev.date.precision || "?") + ")" : "not given";
    if (ev.date.text.length) when += " from “" + ev.date.text.join("”, “") + "”";
    fieldRow(dl, "Date", when);
    if (ev.date.disputed) fieldRow(dl, "Disputed", "candidates: " + ev.date.candidates.join(", "));
    let where = null;
    if (ev.place) {
      where = ev.place.name + (ev.place.country ? ", " + ev.place.country : "");
      if (ev.place.lat !== null && ev.place.lon !== null) {
        where += " (" + ev.place.lat.toFixed(2) + ", " + ev.place.lon.toFixed(2) + ")";
      }
    }
    fieldRow(dl, "Place", where);
    fieldRow(dl, "Confidence", ev.confidence.toFixed(2));
    fieldRow(dl, "Triggers", "“" + ev.triggers.join("”, “") + "”");
    if (ev.fused) {
      fieldRow(dl, "Fused event", el("a", { href: "/events/" + ev.fused, text: "#" + ev.fused }));
    }
    panel.append(dl);
  }

  function highlight(id) {
    clear("sel");
    clear("sent");
    if (!id || !events[id]) return;
    const ev = events[id];
    mark('[data-sentence~="' + CSS.escape(id) + '"]', "sent");
    const hits = mark('[data-trigger~="' + CSS.escape(id) + '"], [data-date~="' + CSS.escape(id) + '"], [data-place~="' + CSS.escape(id) + '"]', "sel");
    for (const p of ev.participants) {
      hits.push(...mark('[data-actor~="' + CSS.escape(p.actor) + '"]', "sel"));
    }
    return hits;
  }

  function inView(node) {
    const r = node.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  }

  function select(id, scroll) {
    selected = id;
    for (const b of document.querySelectorAll("button.ev")) {
      b.setAttribute("aria-pressed", b.dataset.event === id ? "true" : "false");
    }
    const hits = highlight(id);
    describe(events[id]);
    if (scroll) {
      // the words first (the page scrolls), then the panel (its side column scrolls)
      const trigger = text.querySelector('[data-trigger~="' + CSS.escape(id) + '"]');
      if (trigger && !inView(trigger)) trigger.scrollIntoView({ block: "center" });
    }
    if (!inView(panel)) panel.scrollIntoView({ block: "nearest" });
    return hits;
  }

  // keyboard: up/down (or k/j) move between events and select the one reached
  const buttons = Array.from(document.querySelectorAll("button.ev"));
  function step(delta) {
    if (!buttons.length) return;
    let i = buttons.findIndex((b) => b.dataset.event === selected);
    i = i < 0 ? (delta > 0 ? 0 : buttons.length - 1)
      : Math.max(0, Math.min(buttons.length - 1, i + delta));
    buttons[i].focus({ preventScroll: true });
    buttons[i].scrollIntoView({ block: "nearest" });
    select(buttons[i].dataset.event, true);
  }
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    const onList = event.target.classList && event.target.classList.contains("ev");
    if (event.key === "j" || (onList && event.key === "ArrowDown")) {
      event.preventDefault();
      step(1);
    } else if (event.key === "k" || (onList && event.key === "ArrowUp")) {
      event.preventDefault();
      step(-1);
    } else if (onList && event.key === "Home") {
      event.preventDefault();
      step(-buttons.length);
    } else if (onList && event.key === "End") {
      event.preventDefault();
      step(buttons.length);
    }
  });

  for (const button of document.querySelectorAll("button.ev")) {
    const id = button.dataset.event;
    button.addEventListener("click", () => select(id, true));
    button.addEventListener("mouseenter", () => highlight(id));
    button.addEventListener("mouseleave", () => highlight(selected));
    button.addEventListener("focus", () => highlight(id));
    button.addEventListener("blur", () => highlight(selected));
  }
  // clicking a trigger in the text selects its (first) event
  text.addEventListener("click", (event) => {
    const seg = event.target.closest("[data-trigger]");
    if (!seg) return;
    const id = seg.dataset.trigger.split(" ")[0];
    if (events[id]) select(id, false);
  });
})();
