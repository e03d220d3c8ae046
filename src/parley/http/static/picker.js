// The dyad page's pair picker: as the analyst types, the inputs' <datalist> is filled
// with the matching participants from the JSON API (the page ships the 300 most active;
// this finds the others). Options are built with textContent and value only.
"use strict";

(function () {
  const list = document.getElementById("actor-choices");
  if (!list) return;
  let timer = null;
  let last = "";

  async function suggest(value) {
    if (value.length < 2 || value === last) return;
    last = value;
    let body;
    try {
      const response = await fetch("/api/actors?limit=20&q=" + encodeURIComponent(value));
      if (!response.ok) return;
      body = await response.json();
    } catch (err) {
      return;
    }
    if (!body.items.length) return;
    const options = body.items.map((a) => {
      const option = document.createElement("option");
      option.value = a.key;
      option.textContent = a.name + " · " + a.events + " events";
      return option;
    });
    list.replaceChildren(...options);
  }

  for (const input of document.querySelectorAll("input[list=actor-choices]")) {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => suggest(input.value.trim()), 150);
    });
  }
})();
