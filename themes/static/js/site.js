// Autocomplete for search boxes that carry data-autocomplete (the endpoint returns {"suggestions": [...]}).
document.querySelectorAll("input[data-autocomplete]").forEach((input) => {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.setAttribute("list", list.id);
  input.after(list);
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const response = await fetch(`${input.dataset.autocomplete}?q=${encodeURIComponent(q)}`);
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...(data.suggestions || []).map((s) => Object.assign(document.createElement("option"), { value: s.title || s })));
      } catch (e) { /* suggestions are a convenience; typing still works */ }
    }, 150);
  });
});

// search.css shows the folded facets on wide screens through ::details-content, which is enough
// without JavaScript; with it, the panel is opened for real there, so assistive technology and
// the headings inside it see an open panel rather than a folded one that happens to be drawn.
if (matchMedia("(min-width: 761px)").matches) {
  document.querySelectorAll("details.facet-panel").forEach((panel) => { panel.open = true; });
}
